package io.llmmonitor.call;

import java.util.Objects;

/**
 * What an LLM call is: the low-cardinality identity of its metrics and span.
 *
 * @param model requested model, empty when unknown before the response
 * @param provider provider name, {@code unknown} when not given
 * @param operation GenAI operation name, e.g. {@code chat}
 * @param stream whether the call returns a token stream
 */
public record LlmCallSpec(String model, String provider, String operation, boolean stream) {

	public LlmCallSpec {
		model = Objects.requireNonNullElse(model, "").trim();
		provider = (provider == null || provider.isBlank()) ? "unknown" : provider.trim();
		operation = (operation == null || operation.isBlank()) ? "chat" : operation.trim();
	}

	/** A non-streaming {@code chat} call. */
	public static LlmCallSpec chat(String model, String provider) {
		return new LlmCallSpec(model, provider, "chat", false);
	}

	public LlmCallSpec withStream(boolean stream) {
		return (stream == this.stream) ? this : new LlmCallSpec(this.model, this.provider, this.operation, stream);
	}

}
