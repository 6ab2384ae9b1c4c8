package io.llmmonitor.observation;

/**
 * Something that happened during an LLM call, exported as a span event.
 *
 * @param name event name, e.g. {@code gen_ai.first_token}
 * @param monotonicNanos when it happened, on the monitor's monotonic clock
 */
public record LlmCallEvent(String name, long monotonicNanos) {

	/** The first chunk carrying generated content arrived. */
	public static final String FIRST_TOKEN = "gen_ai.first_token";

	/** A chunk carrying generated content arrived (per-token events, off by default). */
	public static final String CONTENT_CHUNK = "gen_ai.content.chunk";

	/**
	 * A call of an automatic integration made inside this one (the same LLM call, see
	 * {@code LlmMonitor.automaticStarter}) failed.
	 */
	public static final String JOINED_CALL_ERROR = "llm.joined_call.error";

	/** The call was detected as slow. */
	public static final String SLOW_CALL = "llm.slow_call";

}
