package io.llmmonitor.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import org.jspecify.annotations.Nullable;

/**
 * Measures a LangChain4j stream from the callbacks of its handler, then hands every callback on
 * unchanged: each partial response and each partial thinking is a content chunk (the first fixes
 * the time to first token; thinking is streamed reasoning), counted once as a {@link PartialContent},
 * the complete response gives usage, model and finish reason and ends the call, an error ends it
 * as failed, and cancelling through the streaming handle ends it as cancelled.
 */
final class MonitoredStreamingHandler implements StreamingChatResponseHandler {

	private final StreamingChatResponseHandler delegate;

	private final ObservedCall call;

	MonitoredStreamingHandler(StreamingChatResponseHandler delegate, ObservedCall call) {
		this.delegate = delegate;
		this.call = call;
	}

	@Override
	public void onPartialResponse(String partialResponse) {
		this.call.onElement(new PartialContent(partialResponse, false));
		this.delegate.onPartialResponse(partialResponse);
	}

	@Override
	public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
		this.call.onElement(new PartialContent(partialResponse.text(), false));
		this.delegate.onPartialResponse(partialResponse, new PartialResponseContext(handle(context.streamingHandle())));
	}

	@Override
	public void onPartialThinking(PartialThinking partialThinking) {
		this.call.onElement(new PartialContent(partialThinking.text(), true));
		this.delegate.onPartialThinking(partialThinking);
	}

	@Override
	public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
		this.call.onElement(new PartialContent(partialThinking.text(), true));
		this.delegate.onPartialThinking(partialThinking, new PartialThinkingContext(handle(context.streamingHandle())));
	}

	@Override
	public void onPartialToolCall(PartialToolCall partialToolCall) {
		this.delegate.onPartialToolCall(partialToolCall);
	}

	@Override
	public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
		this.delegate.onPartialToolCall(partialToolCall, new PartialToolCallContext(handle(context.streamingHandle())));
	}

	@Override
	public void onCompleteToolCall(CompleteToolCall completeToolCall) {
		this.delegate.onCompleteToolCall(completeToolCall);
	}

	@Override
	public void onUnmappedRawEvent(Object rawEvent) {
		this.delegate.onUnmappedRawEvent(rawEvent);
	}

	@Override
	public void onCompleteResponse(ChatResponse completeResponse) {
		this.call.onElement(new CompletedStream(completeResponse));
		this.call.end(CallStatus.SUCCESS, null);
		this.delegate.onCompleteResponse(completeResponse);
	}

	@Override
	public void onError(Throwable error) {
		this.call.end(CallStatus.ERROR, error);
		this.delegate.onError(error);
	}

	private @Nullable StreamingHandle handle(@Nullable StreamingHandle handle) {
		return (handle != null) ? new MonitoredHandle(handle) : null;
	}

	/** Ends the call as cancelled when the application cancels the stream. */
	private final class MonitoredHandle implements StreamingHandle {

		private final StreamingHandle handle;

		MonitoredHandle(StreamingHandle handle) {
			this.handle = handle;
		}

		@Override
		public void cancel() {
			MonitoredStreamingHandler.this.call.end(CallStatus.CANCELLED, null);
			this.handle.cancel();
		}

		@Override
		public boolean isCancelled() {
			return this.handle.isCancelled();
		}

	}

}
