package io.llmmonitor.observation;

import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallEvents;

/**
 * Something that happened during an LLM call, exported as a span event; the names llm-monitor
 * records are documented in {@link LlmCallEvents}.
 *
 * @param name event name, e.g. {@code gen_ai.first_token}
 * @param monotonicNanos when it happened, on the monitor's monotonic clock
 */
public record LlmCallEvent(String name, long monotonicNanos) {

	/** {@link LlmCallEvents#FIRST_TOKEN}. */
	public static final String FIRST_TOKEN = "gen_ai.first_token";

	/** {@link LlmCallEvents#CONTENT_CHUNK}. */
	public static final String CONTENT_CHUNK = "gen_ai.content.chunk";

	/** {@link LlmCallEvents#JOINED_CALL_ERROR}. */
	public static final String JOINED_CALL_ERROR = "llm.joined_call.error";

	/** {@link LlmCallEvents#SLOW_CALL}. */
	public static final String SLOW_CALL = "llm.slow_call";

}
