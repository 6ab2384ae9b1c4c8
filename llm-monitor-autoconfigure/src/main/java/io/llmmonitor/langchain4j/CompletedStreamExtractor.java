package io.llmmonitor.langchain4j;

import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link CompletedStream} of a LangChain4j stream: usage, response model and finish
 * reason, and no content.
 */
public class CompletedStreamExtractor implements LlmResponseExtractor<CompletedStream> {

	private final LangChain4jChatResponseExtractor responses = new LangChain4jChatResponseExtractor();

	@Override
	public Class<CompletedStream> responseType() {
		return CompletedStream.class;
	}

	@Override
	public @Nullable CharSequence content(CompletedStream completed) {
		return null;
	}

	@Override
	public @Nullable LlmUsage usage(CompletedStream completed) {
		return this.responses.usage(completed.response());
	}

	@Override
	public @Nullable String responseModel(CompletedStream completed) {
		return this.responses.responseModel(completed.response());
	}

	@Override
	public @Nullable String finishReason(CompletedStream completed) {
		return this.responses.finishReason(completed.response());
	}

}
