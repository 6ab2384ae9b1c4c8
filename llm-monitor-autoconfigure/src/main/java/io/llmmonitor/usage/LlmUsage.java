package io.llmmonitor.usage;

import org.jspecify.annotations.Nullable;

/**
 * Token usage as reported by a provider. Any count may be unknown ({@code null}). The detail
 * counts are parts of the totals, as the OpenTelemetry GenAI semantic conventions count them:
 * reasoning tokens are part of the output tokens, cached and cache-creation tokens part of the
 * input tokens (OpenAI reports them so; for Anthropic, whose {@code input_tokens} leaves the
 * cache out, add {@code cache_read_input_tokens} and {@code cache_creation_input_tokens} to it).
 *
 * @param inputTokens prompt tokens, cached ones included, or {@code null}
 * @param outputTokens completion tokens, reasoning ones included, or {@code null}
 * @param reasoningTokens of the output tokens, those spent on reasoning (OpenAI
 * {@code completion_tokens_details.reasoning_tokens}, Anthropic thinking, DeepSeek
 * {@code reasoning_content}), or {@code null}
 * @param cachedInputTokens of the input tokens, those read from the provider's prompt cache
 * (OpenAI {@code prompt_tokens_details.cached_tokens}, Anthropic {@code cache_read_input_tokens}),
 * or {@code null}
 * @param cacheCreationInputTokens of the input tokens, those written to the provider's prompt
 * cache (Anthropic {@code cache_creation_input_tokens}), or {@code null}
 */
public record LlmUsage(@Nullable Long inputTokens, @Nullable Long outputTokens, @Nullable Long reasoningTokens,
		@Nullable Long cachedInputTokens, @Nullable Long cacheCreationInputTokens) {

	/** Input and output tokens only, no details. */
	public LlmUsage(@Nullable Long inputTokens, @Nullable Long outputTokens) {
		this(inputTokens, outputTokens, null, null, null);
	}

	public static LlmUsage of(long inputTokens, long outputTokens) {
		return new LlmUsage(inputTokens, outputTokens);
	}

	/** This usage with its reasoning output tokens. */
	public LlmUsage withReasoningTokens(@Nullable Long reasoningTokens) {
		return new LlmUsage(this.inputTokens, this.outputTokens, reasoningTokens, this.cachedInputTokens,
				this.cacheCreationInputTokens);
	}

	/** This usage with its input tokens read from the provider's cache. */
	public LlmUsage withCachedInputTokens(@Nullable Long cachedInputTokens) {
		return new LlmUsage(this.inputTokens, this.outputTokens, this.reasoningTokens, cachedInputTokens,
				this.cacheCreationInputTokens);
	}

	/** This usage with its input tokens written to the provider's cache. */
	public LlmUsage withCacheCreationInputTokens(@Nullable Long cacheCreationInputTokens) {
		return new LlmUsage(this.inputTokens, this.outputTokens, this.reasoningTokens, this.cachedInputTokens,
				cacheCreationInputTokens);
	}

}
