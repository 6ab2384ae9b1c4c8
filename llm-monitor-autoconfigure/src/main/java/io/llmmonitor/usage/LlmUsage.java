package io.llmmonitor.usage;

import org.jspecify.annotations.Nullable;

/**
 * Token usage as reported by a provider. Either count may be unknown.
 *
 * @param inputTokens prompt tokens, or {@code null}
 * @param outputTokens completion tokens, or {@code null}
 */
public record LlmUsage(@Nullable Long inputTokens, @Nullable Long outputTokens) {

	public static LlmUsage of(long inputTokens, long outputTokens) {
		return new LlmUsage(inputTokens, outputTokens);
	}

}
