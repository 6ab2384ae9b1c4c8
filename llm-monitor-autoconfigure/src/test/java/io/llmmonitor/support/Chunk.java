package io.llmmonitor.support;

import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * A provider-like stream chunk: text, and on the last chunk usage and finish reason.
 */
public record Chunk(@Nullable String text, @Nullable LlmUsage usage, @Nullable String finishReason) {

	public static Chunk text(String text) {
		return new Chunk(text, null, null);
	}

	public static Chunk usage(long inputTokens, long outputTokens) {
		return new Chunk(null, LlmUsage.of(inputTokens, outputTokens), "stop");
	}

	/** Reads {@link Chunk}s; the response model is fixed. */
	public static final class Extractor implements LlmResponseExtractor<Chunk> {

		@Override
		public Class<Chunk> responseType() {
			return Chunk.class;
		}

		@Override
		public @Nullable CharSequence content(Chunk response) {
			return response.text();
		}

		@Override
		public @Nullable LlmUsage usage(Chunk response) {
			return response.usage();
		}

		@Override
		public @Nullable String responseModel(Chunk response) {
			return (response.usage() != null) ? "gpt-4o-2024-08-06" : null;
		}

		@Override
		public @Nullable String finishReason(Chunk response) {
			return response.finishReason();
		}

	}

}
