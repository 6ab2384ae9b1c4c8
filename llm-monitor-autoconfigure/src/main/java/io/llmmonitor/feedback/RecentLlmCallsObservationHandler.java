package io.llmmonitor.feedback;

import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Remembers each LLM call that ends, with its trace id, in {@link RecentLlmCalls}. Only useful
 * with tracing: without a span, a call has no trace id to be found by.
 */
public class RecentLlmCallsObservationHandler implements ObservationHandler<LlmCallContext> {

	private final RecentLlmCalls recentCalls;

	public RecentLlmCallsObservationHandler(RecentLlmCalls recentCalls) {
		this.recentCalls = recentCalls;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStop(LlmCallContext context) {
		this.recentCalls.remember(FeedbackHandle.of(context));
	}

}
