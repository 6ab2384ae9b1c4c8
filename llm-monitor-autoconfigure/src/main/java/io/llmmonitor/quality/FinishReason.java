package io.llmmonitor.quality;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Why a model stopped generating, normalised across providers into a bounded set of tag values:
 * OpenAI's {@code stop}, {@code length}, {@code content_filter}, {@code tool_calls} and their
 * equivalents elsewhere (Anthropic's {@code end_turn} and {@code max_tokens}, Gemini's
 * {@code SAFETY}, LangChain4j's {@code TOOL_EXECUTION}, the Responses API's
 * {@code max_output_tokens}, ...). Anything else is {@link #OTHER}.
 */
public enum FinishReason {

	/** The answer ended naturally, or at a stop sequence. */
	STOP("stop"),

	/** The answer was cut at the token limit: truncated. */
	LENGTH("length"),

	/** A safety filter or the model's own refusal stopped the answer. */
	CONTENT_FILTER("content_filter"),

	/** The model asked for tools to be called. */
	TOOL_CALLS("tool_calls"),

	/** Any other reason, or one llm-monitor does not know. */
	OTHER("other");

	/** Reasons as providers and client libraries name them, lower case. */
	private static final Map<String, FinishReason> KNOWN = Map.ofEntries(Map.entry("stop", STOP),
			Map.entry("end_turn", STOP), Map.entry("stop_sequence", STOP), Map.entry("completed", STOP),
			Map.entry("complete", STOP), Map.entry("eos", STOP), Map.entry("eos_token", STOP),
			Map.entry("finish_reason_stop", STOP), Map.entry("length", LENGTH), Map.entry("max_tokens", LENGTH),
			Map.entry("max_output_tokens", LENGTH), Map.entry("model_length", LENGTH),
			Map.entry("model_context_window_exceeded", LENGTH), Map.entry("content_filter", CONTENT_FILTER),
			Map.entry("content_filtered", CONTENT_FILTER), Map.entry("refusal", CONTENT_FILTER),
			Map.entry("safety", CONTENT_FILTER), Map.entry("recitation", CONTENT_FILTER),
			Map.entry("blocklist", CONTENT_FILTER), Map.entry("prohibited_content", CONTENT_FILTER),
			Map.entry("spii", CONTENT_FILTER), Map.entry("image_safety", CONTENT_FILTER),
			Map.entry("guardrail_intervened", CONTENT_FILTER), Map.entry("tool_calls", TOOL_CALLS),
			Map.entry("tool_call", TOOL_CALLS), Map.entry("tool_use", TOOL_CALLS),
			Map.entry("function_call", TOOL_CALLS), Map.entry("tool_execution", TOOL_CALLS));

	private final String tagValue;

	FinishReason(String tagValue) {
		this.tagValue = tagValue;
	}

	/** The value of the {@code finish_reason} tag. */
	public String tagValue() {
		return this.tagValue;
	}

	/** Values that say no reason is known yet (Gemini's stream chunks before the last). */
	private static final Set<String> UNSPECIFIED = Set.of("", "unspecified", "finish_reason_unspecified", "null");

	/** The normalised reason of a provider's finish reason, in any case. */
	public static FinishReason of(String providerReason) {
		FinishReason reason = ofReported(providerReason);
		return (reason != null) ? reason : OTHER;
	}

	/**
	 * The normalised reason of a provider's finish reason, or {@code null} when it names none
	 * (blank, {@code FINISH_REASON_UNSPECIFIED}).
	 */
	public static @Nullable FinishReason ofReported(String providerReason) {
		String reason = providerReason.trim().toLowerCase(Locale.ROOT);
		return UNSPECIFIED.contains(reason) ? null : KNOWN.getOrDefault(reason, OTHER);
	}

}
