package io.llmmonitor.langchain4j;

import io.llmmonitor.usage.LlmResponseExtractor;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@link PartialContent} of a LangChain4j stream: its text is content, or streamed
 * reasoning when it is thinking; no usage (the {@link CompletedStream} carries it).
 */
public class PartialContentExtractor implements LlmResponseExtractor<PartialContent> {

	@Override
	public Class<PartialContent> responseType() {
		return PartialContent.class;
	}

	@Override
	public @Nullable CharSequence content(PartialContent partial) {
		return partial.thinking() ? null : partial.text();
	}

	@Override
	public @Nullable CharSequence reasoningContent(PartialContent partial) {
		return partial.thinking() ? partial.text() : null;
	}

}
