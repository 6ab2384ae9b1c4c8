package io.llmmonitor.sample.langchain4j;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.sample.langchain4j.LangChain4jConfiguration.Assistant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The chat API of the {@code langchain4j} profile: {@code GET /api/langchain4j/chat} asks the AI
 * service, {@code GET /api/langchain4j/chat/stream} streams from the streaming model as
 * server-sent events; a client that goes away cancels the model's stream.
 */
@RestController
@RequestMapping("/api/langchain4j")
@Profile("langchain4j")
class LangChain4jChatController {

	private final ObjectProvider<Assistant> assistant;

	private final ObjectProvider<StreamingChatModel> streamingModel;

	LangChain4jChatController(ObjectProvider<Assistant> assistant, ObjectProvider<StreamingChatModel> streamingModel) {
		this.assistant = assistant;
		this.streamingModel = streamingModel;
	}

	@MonitoredEndpoint("langchain4j.chat")
	@GetMapping("/chat")
	Mono<String> chat(@RequestParam String prompt) {
		// LangChain4j's blocking HTTP client: off the event loop
		return Mono.fromCallable(() -> this.assistant.getObject().chat(prompt)).subscribeOn(Schedulers.boundedElastic());
	}

	@MonitoredEndpoint("langchain4j.chat.stream")
	@GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<String> stream(@RequestParam String prompt) {
		return Flux.<String>create((sink) -> this.streamingModel.getObject().chat(prompt, new SinkHandler(sink)))
			.subscribeOn(Schedulers.boundedElastic());
	}

	/** Hands the stream to the sink; cancels the model's stream when the client goes away. */
	private static final class SinkHandler implements StreamingChatResponseHandler {

		private final FluxSink<String> sink;

		SinkHandler(FluxSink<String> sink) {
			this.sink = sink;
		}

		@Override
		public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
			if (this.sink.isCancelled()) {
				context.streamingHandle().cancel();
				return;
			}
			this.sink.next(partialResponse.text());
		}

		@Override
		public void onCompleteResponse(ChatResponse completeResponse) {
			this.sink.complete();
		}

		@Override
		public void onError(Throwable error) {
			this.sink.error(error);
		}

	}

}
