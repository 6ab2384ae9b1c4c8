package io.llmmonitor.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.e2e.OtlpTraceReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @MonitoredEndpoint} on Spring MVC's asynchronous returns: each endpoint is timed until
 * its response completes, not when its method returns, and the LLM call made while it responds
 * is its child.
 */
@SpringBootTest(classes = ServletAsyncEndToEndTests.AsyncChatApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet",
				"management.endpoints.web.exposure.include=prometheus",
				"management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=100ms", "spring.application.name=chat-mvc-async" })
class ServletAsyncEndToEndTests {

	/** Each LLM call lasts at least this long, after the endpoint method returned. */
	private static final Duration LLM_DELAY = Duration.ofMillis(150);

	private static final OtlpTraceReceiver receiver = OtlpTraceReceiver.start();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void otlpEndpoint(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::endpoint);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "sse, chat.sse, chat gpt-4o", "emitter, chat.emitter, chat gpt-4o",
			"streaming-body, chat.streaming-body, chat gpt-4o-mini", "deferred, chat.deferred, chat claude-sonnet-4",
			"callable, chat.callable, chat gpt-4o-mini", "task, chat.task, chat gpt-4o-mini",
			"entity, chat.entity, chat gpt-4o" })
	void anAsynchronousEndpointIsTimedUntilItsResponseCompletesWithItsLlmCallAsChild(String path, String endpoint,
			String llmSpan) throws Exception {
		assertThat(get("/chat/" + path)).contains("answer");

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(childrenOf(endpoint)).isNotEmpty());
		Span endpointSpan = span(endpoint);
		List<Span> children = childrenOf(endpoint);
		assertThat(children).extracting(Span::getName).containsExactly(llmSpan);
		Span call = children.get(0);
		assertThat(call.getTraceId()).isEqualTo(endpointSpan.getTraceId());
		assertThat(endpointSpan.getEndTimeUnixNano()).isGreaterThanOrEqualTo(call.getEndTimeUnixNano());
		assertThat(endpointSpan.getEndTimeUnixNano() - endpointSpan.getStartTimeUnixNano())
			.isGreaterThanOrEqualTo(LLM_DELAY.toNanos());

		assertThat(get("/actuator/prometheus")).containsPattern(
				"llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"" + endpoint + "\"[^}]*status=\"success\"[^}]*} 1");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "failing-callable, chat.failing-callable", "failing-sse, chat.failing-sse",
			"timed-out-deferred, chat.timed-out-deferred" })
	void aFailedAsynchronousResponseIsAnError(String path, String endpoint) throws Exception {
		try {
			get("/chat/" + path);
		}
		catch (IOException ex) {
			// a stream that fails after its first events is cut off
		}

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus")).containsPattern(
					"llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"" + endpoint + "\"[^}]*status=\"error\"[^}]*} 1"));
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(span(endpoint).getStatus().getCode())
				.isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR));
	}

	/**
	 * Responses that never complete normally: each ends its endpoint exactly once, as an error,
	 * and leaves nothing in flight.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource({ "timed-out-sse, chat.timed-out-sse", "timed-out-emitter, chat.timed-out-emitter",
			"timed-out-task, chat.timed-out-task", "failed-deferred, chat.failed-deferred",
			"failing-streaming-body, chat.failing-streaming-body" })
	void aResponseThatNeverCompletesNormallyEndsItsEndpointOnceAsAnError(String path, String endpoint)
			throws Exception {
		try {
			get("/chat/" + path);
		}
		catch (IOException ex) {
			// a response cut off
		}

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus")).containsPattern(
					"llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"" + endpoint + "\"[^}]*status=\"error\"[^}]*} 1"));
		assertEndedOnce(endpoint);
	}

	@Test
	void aClientThatDisconnectsFromAStreamEndsItsEndpointOnce() throws Exception {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.getOutputStream()
				.write(("GET /chat/endless-sse HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			InputStream in = socket.getInputStream();
			byte[] first = new byte[64];
			assertThat(in.read(first)).isPositive();
		}

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus"))
				.containsPattern("llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"chat.endless-sse\"[^}]*} 1"));
		assertEndedOnce("chat.endless-sse");
	}

	@Test
	void anAsynchronousValueThatNeverReachesSpringMvcEndsItsEndpointWithTheRequest() throws Exception {
		assertThat(get("/chat/discarding")).isEqualTo("answer");

		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(get("/actuator/prometheus")).containsPattern(
					"llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"chat.discarded\"[^}]*status=\"cancelled\"[^}]*} 1"));
		assertEndedOnce("chat.discarded");
	}

	private void assertEndedOnce(String endpoint) throws Exception {
		String scrape = get("/actuator/prometheus");
		assertThat(scrape.lines()
			.filter((line) -> line.startsWith("llm_endpoint_duration_active_seconds_count{")
					&& line.contains("endpoint=\"" + endpoint + "\""))).as("the in-flight gauge of %s", endpoint)
			.isNotEmpty();
		assertThat(scrape.lines()
			.filter((line) -> line.startsWith("llm_endpoint_duration_seconds_count{")
					&& line.contains("endpoint=\"" + endpoint + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum()).as("calls of %s", endpoint).isEqualTo(1.0);
		assertThat(scrape.lines()
			.filter((line) -> line.startsWith("llm_endpoint_duration_active_seconds_count{")
					&& line.contains("endpoint=\"" + endpoint + "\""))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.sum()).as("%s in flight", endpoint).isZero();
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(receiver.spans().stream()
			.filter((span) -> span.getName().equals(endpoint))).hasSize(1));
	}

	private static Span span(String name) {
		List<Span> matching = receiver.spans().stream().filter((span) -> span.getName().equals(name)).toList();
		assertThat(matching).as("spans named %s", name).hasSize(1);
		return matching.get(0);
	}

	private static List<Span> childrenOf(String name) {
		Span parent = span(name);
		return receiver.spans().stream().filter((span) -> span.getParentSpanId().equals(parent.getSpanId())).toList();
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
					.timeout(Duration.ofSeconds(10))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

	/** Nested in a test class, its components are not scanned: imported instead. */
	@SpringBootApplication
	@Import({ SlowModelClient.class, AsyncChatController.class, AsyncParts.class, DiscardingController.class })
	static class AsyncChatApplication {

	}

	@Service
	static class SlowModelClient {

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public String complete(String prompt) throws InterruptedException {
			Thread.sleep(LLM_DELAY.toMillis());
			return "A blocking answer.";
		}

		@MonitoredLlmCall(model = "claude-sonnet-4", provider = "anthropic")
		public Mono<String> completeReactively(String prompt) {
			return Mono.delay(LLM_DELAY).thenReturn("A reactive answer.");
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Flux<String> stream(String prompt) {
			return Flux.just("An", " answer", ".").delayElements(LLM_DELAY.dividedBy(3));
		}

	}

	@Service
	static class AsyncParts {

		@MonitoredEndpoint("chat.discarded")
		public DeferredResult<String> deferred() {
			return new DeferredResult<>();
		}

	}

	/** Calls an asynchronous endpoint method and drops its value: Spring MVC never sees it. */
	@RestController
	static class DiscardingController {

		private final AsyncParts parts;

		DiscardingController(AsyncParts parts) {
			this.parts = parts;
		}

		@GetMapping("/chat/discarding")
		public String discarding() {
			this.parts.deferred();
			return "answer";
		}

	}

	@RestController
	static class AsyncChatController {

		private final SlowModelClient client;

		AsyncChatController(SlowModelClient client) {
			this.client = client;
		}

		@MonitoredEndpoint("chat.sse")
		@GetMapping("/chat/sse")
		public SseEmitter sse() {
			SseEmitter emitter = new SseEmitter();
			this.client.stream("hi").subscribe((token) -> send(emitter, token), emitter::completeWithError,
					emitter::complete);
			return emitter;
		}

		@MonitoredEndpoint("chat.emitter")
		@GetMapping("/chat/emitter")
		public ResponseBodyEmitter emitter() {
			ResponseBodyEmitter emitter = new ResponseBodyEmitter();
			this.client.stream("hi").subscribe((token) -> send(emitter, token), emitter::completeWithError,
					emitter::complete);
			return emitter;
		}

		@MonitoredEndpoint("chat.failing-sse")
		@GetMapping("/chat/failing-sse")
		public SseEmitter failingSse() {
			SseEmitter emitter = new SseEmitter();
			this.client.stream("hi")
				.concatWith(Mono.error(new IllegalStateException("stream broken")))
				.subscribe((token) -> send(emitter, token), emitter::completeWithError, emitter::complete);
			return emitter;
		}

		@MonitoredEndpoint("chat.streaming-body")
		@GetMapping("/chat/streaming-body")
		public StreamingResponseBody streamingBody() {
			return (out) -> {
				try {
					out.write(this.client.complete("hi").replace("A blocking answer", "answer")
						.getBytes(StandardCharsets.UTF_8));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException(ex);
				}
			};
		}

		@MonitoredEndpoint("chat.deferred")
		@GetMapping("/chat/deferred")
		public DeferredResult<String> deferred() {
			DeferredResult<String> result = new DeferredResult<>();
			this.client.completeReactively("hi").subscribe(result::setResult, result::setErrorResult);
			return result;
		}

		@MonitoredEndpoint("chat.timed-out-deferred")
		@GetMapping("/chat/timed-out-deferred")
		public DeferredResult<String> timedOutDeferred() {
			// never set: Spring MVC times the request out
			return new DeferredResult<>(100L);
		}

		@MonitoredEndpoint("chat.callable")
		@GetMapping("/chat/callable")
		public Callable<String> callable() {
			return () -> this.client.complete("hi");
		}

		@MonitoredEndpoint("chat.failing-callable")
		@GetMapping("/chat/failing-callable")
		public Callable<String> failingCallable() {
			return () -> {
				Thread.sleep(10);
				throw new IllegalStateException("no answer");
			};
		}

		@MonitoredEndpoint("chat.task")
		@GetMapping("/chat/task")
		public WebAsyncTask<String> task() {
			return new WebAsyncTask<>(10_000, () -> this.client.complete("hi"));
		}

		@MonitoredEndpoint("chat.entity")
		@GetMapping(path = "/chat/entity", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		public ResponseEntity<Flux<String>> entity() {
			return ResponseEntity.ok().header("X-Model", "gpt-4o").body(this.client.stream("hi"));
		}

		@MonitoredEndpoint("chat.timed-out-sse")
		@GetMapping("/chat/timed-out-sse")
		public SseEmitter timedOutSse() {
			// never completed, no timeout handler: Spring MVC times the request out
			SseEmitter emitter = new SseEmitter(100L);
			send(emitter, "answer");
			return emitter;
		}

		@MonitoredEndpoint("chat.timed-out-emitter")
		@GetMapping("/chat/timed-out-emitter")
		public ResponseBodyEmitter timedOutEmitter() {
			return new ResponseBodyEmitter(100L);
		}

		@MonitoredEndpoint("chat.timed-out-task")
		@GetMapping("/chat/timed-out-task")
		public WebAsyncTask<String> timedOutTask() {
			return new WebAsyncTask<>(100L, () -> {
				Thread.sleep(3_000);
				return "too late";
			});
		}

		@MonitoredEndpoint("chat.failed-deferred")
		@GetMapping("/chat/failed-deferred")
		public DeferredResult<String> failedDeferred() {
			DeferredResult<String> result = new DeferredResult<>();
			Mono.delay(Duration.ofMillis(20))
				.subscribe((tick) -> result.setErrorResult(new IllegalStateException("model unavailable")));
			return result;
		}

		@MonitoredEndpoint("chat.failing-streaming-body")
		@GetMapping("/chat/failing-streaming-body")
		public StreamingResponseBody failingStreamingBody() {
			return (out) -> {
				out.write("answer".getBytes(StandardCharsets.UTF_8));
				throw new IOException("model stream broken");
			};
		}

		@MonitoredEndpoint("chat.endless-sse")
		@GetMapping("/chat/endless-sse")
		public SseEmitter endlessSse() {
			SseEmitter emitter = new SseEmitter(0L);
			Flux.interval(Duration.ofMillis(20)).map((tick) -> "tick " + tick).subscribe(new BaseSubscriber<String>() {
				@Override
				protected void hookOnNext(String token) {
					try {
						emitter.send(token);
					}
					catch (IOException | IllegalStateException ex) {
						// the client went away: the container reports it, the stream stops
						cancel();
					}
				}
			});
			return emitter;
		}

		private static void send(ResponseBodyEmitter emitter, String token) {
			try {
				emitter.send(token);
			}
			catch (IOException ex) {
				emitter.completeWithError(ex);
			}
		}

	}

}
