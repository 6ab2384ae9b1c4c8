package io.llmmonitor.observation;

/**
 * Why a call counts as slow: the {@code reason} tag of {@code llm_slow_requests_total}.
 */
public enum SlowCallReason {

	/** The whole call took longer than {@code llm.monitor.slow-request-threshold}. */
	LATENCY("latency"),

	/** A stream generated fewer tokens per second than {@code llm.monitor.slow-token-rate-threshold}. */
	TOKEN_RATE("token_rate");

	private final String tagValue;

	SlowCallReason(String tagValue) {
		this.tagValue = tagValue;
	}

	public String tagValue() {
		return this.tagValue;
	}

}
