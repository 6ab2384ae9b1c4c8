package io.llmmonitor.sample.chat;

import java.util.Map;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.sample.client.SampleLlmProperties;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletion;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionChunk;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The sample's chat API: {@code POST /api/chat} answers at once, with the trace id to rate the
 * answer by ({@link FeedbackController}); {@code GET /api/chat/stream} streams the answer as
 * server-sent events.
 */
@RestController
@RequestMapping("/api")
public class ChatController {

	private final ChatService chatService;

	private final SampleLlmProperties properties;

	public ChatController(ChatService chatService, SampleLlmProperties properties) {
		this.chatService = chatService;
		this.properties = properties;
	}

	public record ChatQuestion(@Nullable String model, String prompt) {
	}

	/**
	 * An answer, with the trace id to rate it by ({@code POST /api/feedback}); the trace id is
	 * {@code null} without tracing.
	 */
	public record ChatAnswer(String model, String content, long promptTokens, long completionTokens,
			@Nullable String traceId) {
	}

	@MonitoredEndpoint("chat")
	@PostMapping("/chat")
	public Mono<ChatAnswer> chat(@RequestBody ChatQuestion question) {
		return Mono.deferContextual((context) -> {
			String traceId = traceId(context);
			return this.chatService.complete(model(question.model()), question.prompt())
				.map((completion) -> answer(completion, traceId));
		});
	}

	/** The trace of this request: WebFlux keeps the request's observation in the Reactor context. */
	private static @Nullable String traceId(ContextView context) {
		Observation request = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		TracingContext tracing = (request != null) ? request.getContext().get(TracingContext.class) : null;
		return (tracing != null && tracing.getSpan() != null) ? tracing.getSpan().context().traceId() : null;
	}

	@MonitoredEndpoint("chat.stream")
	@GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public Flux<String> stream(@RequestParam(required = false) String model, @RequestParam String prompt) {
		return this.chatService.stream(model(model), prompt).mapNotNull(ChatCompletionChunk::content)
			.filter((content) -> !content.isEmpty());
	}

	/** The model server failed: a gateway error for our caller, without a stack trace in the log. */
	@ExceptionHandler(WebClientResponseException.class)
	public ResponseEntity<Map<String, String>> modelServerFailed(WebClientResponseException ex) {
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
			.body(Map.of("error", "the model server answered " + ex.getStatusCode().value()));
	}

	private String model(@Nullable String model) {
		return (model == null || model.isBlank()) ? this.properties.getDefaultModel() : model;
	}

	private static ChatAnswer answer(ChatCompletion completion, @Nullable String traceId) {
		long promptTokens = (completion.usage() != null) ? completion.usage().promptTokens() : 0;
		long completionTokens = (completion.usage() != null) ? completion.usage().completionTokens() : 0;
		return new ChatAnswer(completion.model(), completion.content(), promptTokens, completionTokens, traceId);
	}

}
