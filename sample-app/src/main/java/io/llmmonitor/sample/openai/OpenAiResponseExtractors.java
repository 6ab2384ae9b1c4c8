package io.llmmonitor.sample.openai;

import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletion;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionChunk;
import io.llmmonitor.sample.openai.OpenAiApi.Usage;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * Tell llm-monitor how to read OpenAI chunks and completions: text, usage (with cached prompt and
 * reasoning tokens when reported), model, finish reason.
 */
public final class OpenAiResponseExtractors {

	private OpenAiResponseExtractors() {
	}

	private static @Nullable LlmUsage usage(@Nullable Usage usage) {
		if (usage == null) {
			return null;
		}
		return LlmUsage.of(usage.promptTokens(), usage.completionTokens())
			.withCachedInputTokens((usage.promptTokensDetails() != null) ? usage.promptTokensDetails().cachedTokens() : null)
			.withReasoningTokens(
					(usage.completionTokensDetails() != null) ? usage.completionTokensDetails().reasoningTokens() : null);
	}

	/** Reads streamed {@link ChatCompletionChunk}s. */
	public static final class ChunkExtractor implements LlmResponseExtractor<ChatCompletionChunk> {

		@Override
		public Class<ChatCompletionChunk> responseType() {
			return ChatCompletionChunk.class;
		}

		@Override
		public @Nullable CharSequence content(ChatCompletionChunk chunk) {
			return chunk.content();
		}

		@Override
		public @Nullable LlmUsage usage(ChatCompletionChunk chunk) {
			return OpenAiResponseExtractors.usage(chunk.usage());
		}

		@Override
		public @Nullable String responseModel(ChatCompletionChunk chunk) {
			return chunk.model();
		}

		@Override
		public @Nullable String finishReason(ChatCompletionChunk chunk) {
			return chunk.finishReason();
		}

	}

	/** Reads whole {@link ChatCompletion}s. */
	public static final class CompletionExtractor implements LlmResponseExtractor<ChatCompletion> {

		@Override
		public Class<ChatCompletion> responseType() {
			return ChatCompletion.class;
		}

		@Override
		public CharSequence content(ChatCompletion completion) {
			return completion.content();
		}

		@Override
		public @Nullable LlmUsage usage(ChatCompletion completion) {
			return OpenAiResponseExtractors.usage(completion.usage());
		}

		@Override
		public @Nullable String responseModel(ChatCompletion completion) {
			return completion.model();
		}

		@Override
		public @Nullable String finishReason(ChatCompletion completion) {
			return completion.choices().isEmpty() ? null : completion.choices().get(0).finishReason();
		}

	}

}
