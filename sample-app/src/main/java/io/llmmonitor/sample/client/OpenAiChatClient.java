package io.llmmonitor.sample.client;

import io.llmmonitor.sample.openai.OpenAiApi;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletion;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionChunk;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A plain OpenAI chat completions client over Spring's (observed) {@link WebClient}: the HTTP
 * call to the provider becomes a child span of the monitored LLM call.
 */
public class OpenAiChatClient {

	private static final Log logger = LogFactory.getLog(OpenAiChatClient.class);

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	private final WebClient webClient;

	private final SampleLlmProperties properties;

	private final Environment environment;

	private final JsonMapper jsonMapper;

	public OpenAiChatClient(WebClient.Builder builder, SampleLlmProperties properties, Environment environment,
			JsonMapper jsonMapper) {
		WebClient.Builder configured = builder.clone();
		if (!properties.getApiKey().isBlank()) {
			configured.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.getApiKey());
		}
		this.webClient = configured.build();
		this.properties = properties;
		this.environment = environment;
		this.jsonMapper = jsonMapper;
	}

	/** Streams the completion chunks of a request; the final chunk carries usage. */
	public Flux<ChatCompletionChunk> stream(ChatCompletionRequest request) {
		return this.webClient.post()
			.uri(completionsUri())
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_EVENT_STREAM)
			.bodyValue(request)
			.retrieve()
			.bodyToFlux(SSE)
			.timeout(this.properties.getTimeout())
			.mapNotNull(ServerSentEvent::data)
			.takeUntil(OpenAiApi.DONE::equals)
			.filter((data) -> !OpenAiApi.DONE.equals(data))
			.mapNotNull(this::parseChunk);
	}

	/** Asks for a whole completion. */
	public Mono<ChatCompletion> complete(ChatCompletionRequest request) {
		return this.webClient.post()
			.uri(completionsUri())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request)
			.retrieve()
			.bodyToMono(ChatCompletion.class)
			.timeout(this.properties.getTimeout());
	}

	private @Nullable ChatCompletionChunk parseChunk(String data) {
		try {
			return this.jsonMapper.readValue(data, ChatCompletionChunk.class);
		}
		catch (JacksonException ex) {
			logger.warn("Skipping a malformed completion chunk: " + ex.getOriginalMessage());
			return null;
		}
	}

	private String completionsUri() {
		String baseUrl = this.properties.getBaseUrl();
		if (baseUrl.isBlank()) {
			baseUrl = "http://127.0.0.1:" + this.environment.getRequiredProperty("local.server.port");
		}
		return baseUrl.replaceAll("/+$", "") + OpenAiApi.CHAT_COMPLETIONS_PATH;
	}

}
