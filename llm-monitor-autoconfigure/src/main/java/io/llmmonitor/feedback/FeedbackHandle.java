package io.llmmonitor.feedback;

import io.llmmonitor.logging.LlmCallLogObservationHandler.TraceIds;
import io.llmmonitor.logging.TracingTraceIds;
import io.llmmonitor.observation.LlmCallContext;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What feedback needs to know of an LLM call: its trace and span id (with tracing) and its model
 * and provider. Taken inside the call with {@code llmMonitor.currentCall().map(CurrentLlmCall::handle)}
 * and kept, e.g. with the answer sent to the user, until the user rates it; small and free of
 * any text of the call.
 *
 * @param traceId the call's trace id; {@code null} without tracing
 * @param spanId the call's span id; {@code null} without tracing
 * @param model the call's model, {@code unknown} when not yet known
 * @param provider the call's provider
 */
public record FeedbackHandle(@Nullable String traceId, @Nullable String spanId, String model, String provider) {

	/** The model of feedback on a call that is not known. */
	public static final String UNKNOWN = "unknown";

	private static final boolean TRACING = ClassUtils.isPresent(
			"io.micrometer.tracing.handler.TracingObservationHandler$TracingContext", FeedbackHandle.class.getClassLoader());

	/** The handle of the call with this context, trace and span id read from its span. */
	public static FeedbackHandle of(LlmCallContext context) {
		TraceIds ids = TRACING ? new TracingTraceIds().apply(context) : null;
		return new FeedbackHandle((ids != null) ? ids.traceId() : null, (ids != null) ? ids.spanId() : null,
				context.getModel(), context.getProvider());
	}

}
