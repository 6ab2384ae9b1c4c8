package io.llmmonitor.usage;

import org.jspecify.annotations.Nullable;

/**
 * Reads what monitoring needs from a response type that llm-monitor does not know: the text a
 * stream chunk (or a whole result) carries and, where the provider sends them, usage, response
 * model and finish reason. Declare implementations as beans; {@code String} and other
 * {@code CharSequence} are built in.
 * <p>
 * Called once per stream element on the caller's thread: keep implementations cheap. An
 * exception thrown here is logged and ignored; the stream continues unchanged.
 *
 * @param <T> the response or chunk type
 */
public interface LlmResponseExtractor<T> {

	/** The type this extractor reads; subtypes are read too. */
	Class<T> responseType();

	/**
	 * Generated text carried by this chunk or result; {@code null} or empty for chunks that carry
	 * none (a role header, a usage-only chunk). The first non-empty one marks the first token.
	 */
	@Nullable CharSequence content(T response);

	/**
	 * Reasoning text streamed by this chunk (DeepSeek {@code reasoning_content}, Anthropic thinking
	 * deltas), kept apart from {@link #content}; {@code null} or empty when none. Streamed
	 * reasoning is content that arrives: it marks the first token and counts in the token rate;
	 * reasoning that the provider only reports in its usage (OpenAI o-series) does not.
	 */
	default @Nullable CharSequence reasoningContent(T response) {
		return null;
	}

	/**
	 * Usage reported by the provider, usually on the last chunk; {@code null} when absent. Report
	 * reasoning and cached tokens in it where the provider does: see {@link LlmUsage}.
	 */
	default @Nullable LlmUsage usage(T response) {
		return null;
	}

	/** Model that actually served the request; {@code null} when absent. */
	default @Nullable String responseModel(T response) {
		return null;
	}

	/** Why generation stopped ({@code stop}, {@code length}, ...); {@code null} when absent. */
	default @Nullable String finishReason(T response) {
		return null;
	}

}
