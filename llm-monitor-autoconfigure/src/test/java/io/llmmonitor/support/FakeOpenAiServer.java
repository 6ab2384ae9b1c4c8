package io.llmmonitor.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Answers {@code POST /v1/chat/completions} as OpenAI does, so that Spring AI's own
 * {@code OpenAiChatModel} and its HTTP client run for real: a whole completion, or, for
 * {@code "stream": true}, server-sent chunks (the first after 50 ms, then one every 5 ms), a
 * chunk with the finish reason and, when asked with {@code stream_options.include_usage}, a
 * last chunk with usage only. {@code POST /v1/responses} answers as the Responses API does: a
 * whole response, or its stream events (text deltas at the same pace, then
 * {@code response.completed} with usage). A request for the model {@value #FAILING_MODEL} gets a 500 error.
 * A request for the reasoning model {@value #REASONING_MODEL} is answered with usage details
 * ({@value #REASONING_TOKENS} reasoning tokens of the output, {@value #CACHED_TOKENS} cached tokens
 * of the input) and, streamed, with {@link #REASONING} as reasoning chunks before the text
 * ({@code reasoning_content} deltas, {@code response.reasoning_text.delta} events).
 */
public final class FakeOpenAiServer implements AutoCloseable {

	public static final List<String> WORDS = List.of("Hello", " there,", " how", " can", " I help?");

	public static final String MODEL = "gpt-4o-2024-08-06";

	/** The model whose requests fail with HTTP 500. */
	public static final String FAILING_MODEL = "failing-model";

	/** The reasoning model: usage with details, streamed reasoning. */
	public static final String REASONING_MODEL = "o4-mini";

	public static final List<String> REASONING = List.of("Let me", " think.");

	public static final long REASONING_TOKENS = 2000;

	public static final long CACHED_TOKENS = 8;

	private static final String REASONING_CHAT_USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":2007,"
			+ "\"total_tokens\":2019,\"prompt_tokens_details\":{\"cached_tokens\":8},"
			+ "\"completion_tokens_details\":{\"reasoning_tokens\":2000}}";

	private static final String CHAT_USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}";

	private final HttpServer server;

	private FakeOpenAiServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/v1/chat/completions", this::complete);
		this.server.createContext("/v1/responses", this::respond);
		this.server.start();
	}

	public static FakeOpenAiServer start() {
		try {
			return new FakeOpenAiServer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
	}

	private void complete(HttpExchange exchange) throws IOException {
		String request;
		try (InputStream body = exchange.getRequestBody()) {
			request = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		}
		try (exchange) {
			if (request.replace(" ", "").contains("\"model\":\"" + FAILING_MODEL + "\"")) {
				byte[] body = "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}"
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(500, body.length);
				exchange.getResponseBody().write(body);
				return;
			}
			boolean reasoning = isReasoning(request);
			if (request.replace(" ", "").contains("\"stream\":true")) {
				stream(exchange, request.replace(" ", "").contains("\"include_usage\":true"), reasoning);
			}
			else {
				byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1763856000,\"model\":\""
						+ MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
						+ String.join("", WORDS) + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
						+ (reasoning ? REASONING_CHAT_USAGE : CHAT_USAGE) + "}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
		}
	}

	private void respond(HttpExchange exchange) throws IOException {
		String request;
		try (InputStream body = exchange.getRequestBody()) {
			request = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		}
		boolean reasoning = isReasoning(request);
		String response = "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1763856000,\"model\":\"" + MODEL
				+ "\",\"status\":\"completed\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\","
				+ "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + String.join("", WORDS)
				+ "\",\"annotations\":[]}]}],\"usage\":"
				+ (reasoning
						? "{\"input_tokens\":12,\"output_tokens\":2007,\"total_tokens\":2019,"
								+ "\"input_tokens_details\":{\"cached_tokens\":8},\"output_tokens_details\":{\"reasoning_tokens\":2000}},"
						: "{\"input_tokens\":12,\"output_tokens\":7,\"total_tokens\":19,"
								+ "\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}},")
				+ "\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"tools\":[],\"error\":null,"
				+ "\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},\"temperature\":1.0,\"top_p\":1.0}";
		try (exchange) {
			if (!request.replace(" ", "").contains("\"stream\":true")) {
				byte[] body = response.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				return;
			}
			exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
			exchange.sendResponseHeaders(200, 0);
			OutputStream out = exchange.getResponseBody();
			sleep(50);
			int sequence = 0;
			for (String thought : reasoning ? REASONING : List.<String>of()) {
				event(out, "{\"type\":\"response.reasoning_text.delta\",\"item_id\":\"rs_1\",\"output_index\":0,"
						+ "\"content_index\":0,\"delta\":\"" + thought + "\",\"sequence_number\":" + (sequence++) + "}");
				sleep(5);
			}
			for (String word : WORDS) {
				event(out, "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,"
						+ "\"content_index\":0,\"delta\":\"" + word + "\",\"logprobs\":[],\"sequence_number\":"
						+ (sequence++) + "}");
				sleep(5);
			}
			event(out, "{\"type\":\"response.completed\",\"sequence_number\":" + sequence + ",\"response\":" + response
					+ "}");
		}
	}

	private static boolean isReasoning(String request) {
		return request.replace(" ", "").contains("\"model\":\"" + REASONING_MODEL + "\"");
	}

	private static void stream(HttpExchange exchange, boolean includeUsage, boolean reasoning) throws IOException {
		exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		OutputStream out = exchange.getResponseBody();
		sleep(50);
		for (String thought : reasoning ? REASONING : List.<String>of()) {
			event(out, chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"" + thought + "\"}", null));
			sleep(5);
		}
		for (String word : WORDS) {
			event(out, chunk("{\"role\":\"assistant\",\"content\":\"" + word + "\"}", null));
			sleep(5);
		}
		event(out, chunk("{}", "\"stop\""));
		if (includeUsage) {
			event(out, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1763856000,\"model\":\""
					+ MODEL + "\",\"choices\":[]," + (reasoning ? REASONING_CHAT_USAGE : CHAT_USAGE) + "}");
		}
		event(out, "[DONE]");
	}

	private static String chunk(String delta, String finishReason) {
		return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1763856000,\"model\":\"" + MODEL
				+ "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
				+ finishReason + "}]}";
	}

	private static void event(OutputStream out, String data) throws IOException {
		out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
