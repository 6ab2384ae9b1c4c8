package io.llmmonitor.observation;

/**
 * How a monitored call ended: the {@code status} tag.
 */
public enum CallStatus {

	/** Completed normally. */
	SUCCESS("success"),

	/** Ended with an exception. */
	ERROR("error"),

	/** The caller cancelled before completion (a disposed stream, a cancelled future). */
	CANCELLED("cancelled");

	private final String tagValue;

	CallStatus(String tagValue) {
		this.tagValue = tagValue;
	}

	public String tagValue() {
		return this.tagValue;
	}

}
