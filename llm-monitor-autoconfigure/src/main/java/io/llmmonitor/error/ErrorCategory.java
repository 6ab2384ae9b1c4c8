package io.llmmonitor.error;

import java.util.Locale;

/**
 * Why an LLM call failed: a fixed set, so that the {@code category} tag of
 * {@code llm_errors_total} stays bounded whatever the errors are.
 */
public enum ErrorCategory {

	/** The provider refused the call for its rate or quota: HTTP 429. */
	RATE_LIMITED,

	/** The call or its connection timed out: a timeout exception, HTTP 408 or 504. */
	TIMEOUT,

	/** Credentials missing, wrong or without permission: HTTP 401 and 403. */
	AUTH,

	/** The provider rejected the request: the other 4xx statuses. */
	BAD_REQUEST,

	/** The prompt (with the requested output) exceeds the model's context window. */
	CONTEXT_LENGTH,

	/** The provider's content filter blocked the prompt or the answer. */
	CONTENT_FILTER,

	/** The provider failed or is overloaded: HTTP 5xx (529 included). */
	SERVER_ERROR,

	/** The provider could not be reached: connection refused or reset, unknown host, I/O error. */
	NETWORK,

	/** Anything else. */
	OTHER;

	private final String tagValue = name().toLowerCase(Locale.ROOT);

	/** The value of the {@code category} tag and the {@code llm.error.category} span attribute. */
	public String tagValue() {
		return this.tagValue;
	}

}
