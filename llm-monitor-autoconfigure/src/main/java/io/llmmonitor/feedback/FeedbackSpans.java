package io.llmmonitor.feedback;

/**
 * Makes feedback visible in traces; {@link TracingFeedbackSpans} with Micrometer Tracing.
 */
@FunctionalInterface
public interface FeedbackSpans {

	/**
	 * Records the feedback given on a call.
	 * @param call the call rated; its span id is {@code null} when it is not known
	 * @param feedback the rating
	 */
	void record(FeedbackHandle call, Feedback feedback);

}
