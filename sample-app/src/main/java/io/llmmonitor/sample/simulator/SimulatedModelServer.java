package io.llmmonitor.sample.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.llmmonitor.sample.openai.OpenAiApi;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletion;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionChunk;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionRequest;
import io.llmmonitor.sample.openai.OpenAiApi.ChatMessage;
import io.llmmonitor.sample.openai.OpenAiApi.Choice;
import io.llmmonitor.sample.openai.OpenAiApi.ChunkChoice;
import io.llmmonitor.sample.openai.OpenAiApi.Delta;
import io.llmmonitor.sample.openai.OpenAiApi.ErrorBody;
import io.llmmonitor.sample.openai.OpenAiApi.ErrorResponse;
import io.llmmonitor.sample.openai.OpenAiApi.Usage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A simulated OpenAI-compatible model server: {@code POST /v1/chat/completions}, streaming (SSE
 * chunks, a final usage chunk, {@code [DONE]}) or not, with per-model speeds, errors, cut-off
 * streams and occasional slow answers, so that every panel and alert has something to show. A
 * reasoning model reasons (hidden) before its first token and reports reasoning and cached tokens
 * in its usage.
 */
public class SimulatedModelServer {

	private static final List<String> WORDS = List.of("the", "model", "streams", "tokens", "to", "a", "client",
			"that", "measures", "latency", "and", "throughput", "of", "every", "call", "in", "production", "with",
			"metrics", "traces", "alerts", "dashboards", "observability", "matters");

	/** The tokens of an answer in which the model declines. */
	private static final List<String> REFUSAL = List.of("I'm", " sorry,", " but", " I", " can't", " help", " with",
			" that.");

	private final SimulatorProperties properties;

	private final Map<String, SimulatorProperties.Model> models;

	private final JsonMapper jsonMapper;

	public SimulatedModelServer(SimulatorProperties properties, JsonMapper jsonMapper) {
		this.properties = properties;
		this.models = properties.getModels()
			.stream()
			.collect(Collectors.toMap(SimulatorProperties.Model::getName, Function.identity()));
		this.jsonMapper = jsonMapper;
	}

	public Mono<ServerResponse> chatCompletions(ServerRequest request) {
		return request.bodyToMono(ChatCompletionRequest.class).flatMap(this::answer);
	}

	private Mono<ServerResponse> answer(ChatCompletionRequest request) {
		SimulatorProperties.Model model = this.models.get(request.model());
		if (model == null) {
			return error(HttpStatus.NOT_FOUND, "The model '" + request.model() + "' does not exist", "invalid_request_error");
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		if (random.nextDouble() < this.properties.getErrorRate()) {
			return random.nextBoolean() ? error(HttpStatus.TOO_MANY_REQUESTS, "Rate limit reached", "rate_limit_exceeded")
					: error(HttpStatus.INTERNAL_SERVER_ERROR, "The server had an error", "server_error");
		}
		Generation generation = new Generation(model, request, random);
		if (request.stream()) {
			return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(generation.events(), ServerSentEvent.class);
		}
		return Mono.delay(generation.totalTime())
			.then(ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(generation.completion()));
	}

	private Mono<ServerResponse> error(HttpStatus status, String message, String type) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(new ErrorResponse(new ErrorBody(message, type)));
	}

	/** One simulated answer: its words and its timing. */
	private final class Generation {

		private final String id = "chatcmpl-" + UUID.randomUUID();

		private final SimulatorProperties.Model model;

		private final List<String> tokens;

		private final long promptTokens;

		private final double slowFactor;

		private final boolean abort;

		/** Whether the model declines to answer. */
		private final boolean refusal;

		/** Whether the answer stops at the token limit. */
		private final boolean truncated;

		Generation(SimulatorProperties.Model model, ChatCompletionRequest request, ThreadLocalRandom random) {
			SimulatorProperties properties = SimulatedModelServer.this.properties;
			this.model = model;
			int count = random.nextInt(properties.getMinTokens(), properties.getMaxTokens() + 1);
			this.refusal = random.nextDouble() < properties.getRefusalRate();
			this.truncated = random.nextDouble() < properties.getTruncationRate();
			boolean empty = !this.refusal && random.nextDouble() < properties.getEmptyRate();
			this.tokens = this.refusal ? REFUSAL : empty ? List.of()
					: random.ints(count, 0, WORDS.size()).mapToObj((i) -> " " + WORDS.get(i)).toList();
			this.promptTokens = request.messages().stream().map(ChatMessage::content)
				.mapToLong((content) -> Math.max(1, Math.round(content.split("\\s+").length * 1.3)))
				.sum() + 3;
			this.slowFactor = (random.nextDouble() < properties.getSlowRate()) ? properties.getSlowFactor() : 1;
			this.abort = random.nextDouble() < properties.getStreamAbortRate();
		}

		/** Time to first token: the model's, plus its hidden reasoning at its decode speed. */
		Duration timeToFirstToken() {
			double reasoningNanos = this.model.getReasoningTokens() * 1e9 / this.model.getTokensPerSecond();
			return jittered((this.model.getTimeToFirstToken().toNanos() + reasoningNanos) * this.slowFactor);
		}

		/** Usage as OpenAI reports it: reasoning inside the completion tokens, cached inside the prompt tokens. */
		Usage usage() {
			int reasoning = this.model.getReasoningTokens();
			Usage usage = Usage.of(this.promptTokens, this.tokens.size() + reasoning);
			if (reasoning == 0 && this.model.getCachedPromptShare() == 0) {
				return usage;
			}
			return usage.withDetails(Math.round(this.promptTokens * this.model.getCachedPromptShare()), reasoning);
		}

		Duration timePerToken() {
			return jittered(1e9 / this.model.getTokensPerSecond() * this.slowFactor);
		}

		Duration totalTime() {
			return timeToFirstToken().plus(timePerToken().multipliedBy(Math.max(0, this.tokens.size() - 1)));
		}

		private Duration jittered(double nanos) {
			return Duration.ofNanos(Math.round(nanos * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
		}

		Flux<ServerSentEvent<String>> events() {
			int delivered = this.abort ? this.tokens.size() / 3 : this.tokens.size();
			Flux<ServerSentEvent<String>> content = Flux.range(0, delivered)
				.concatMap((index) -> Mono.delay((index == 0) ? timeToFirstToken() : timePerToken())
					.thenReturn(event(chunk(new Delta(null, this.tokens.get(index)), null, null))));
			if (this.abort) {
				return content.concatWith(Mono.error(new IllegalStateException("simulated connection reset")));
			}
			return Flux.just(event(chunk(new Delta("assistant", ""), null, null)))
				.concatWith(content)
				.concatWith(Flux.just(event(chunk(new Delta(null, null), finishReason(), null)),
						event(new ChatCompletionChunk(this.id, "chat.completion.chunk", this.model.getName(), List.of(),
								usage())),
						ServerSentEvent.builder(OpenAiApi.DONE).build()));
		}

		private ChatCompletionChunk chunk(Delta delta, @Nullable String finishReason, @Nullable Usage usage) {
			return new ChatCompletionChunk(this.id, "chat.completion.chunk", this.model.getName(),
					List.of(new ChunkChoice(0, delta, finishReason)), usage);
		}

		private ServerSentEvent<String> event(ChatCompletionChunk chunk) {
			return ServerSentEvent.builder(SimulatedModelServer.this.jsonMapper.writeValueAsString(chunk)).build();
		}

		private String finishReason() {
			return this.truncated ? "length" : "stop";
		}

		ChatCompletion completion() {
			return new ChatCompletion(this.id, "chat.completion", this.model.getName(),
					List.of(new Choice(0, new ChatMessage("assistant", String.join("", this.tokens).trim()), finishReason())),
					usage());
		}

	}

}
