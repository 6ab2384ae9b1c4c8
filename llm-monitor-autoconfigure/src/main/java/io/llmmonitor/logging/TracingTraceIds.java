package io.llmmonitor.logging;

import java.util.function.Function;

import io.llmmonitor.logging.LlmCallLogObservationHandler.TraceIds;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.jspecify.annotations.Nullable;

/**
 * Reads the trace and span id that Micrometer Tracing's handlers keep in an observation's
 * context. Only loaded when Micrometer Tracing is on the class path.
 */
public final class TracingTraceIds implements Function<Observation.Context, @Nullable TraceIds> {

	@Override
	public @Nullable TraceIds apply(Observation.Context context) {
		TracingContext tracingContext = context.get(TracingContext.class);
		Span span = (tracingContext != null) ? tracingContext.getSpan() : null;
		if (span == null) {
			return null;
		}
		// unsampled spans keep their ids: logs of one request still share its trace id
		TraceContext traceContext = span.context();
		String traceId = traceContext.traceId();
		if (isInvalid(traceId)) {
			return null;
		}
		return new TraceIds(traceId, traceContext.spanId());
	}

	/** Empty or all zeros (OpenTelemetry's invalid trace id); a loop, not a stream: once per call. */
	private static boolean isInvalid(String traceId) {
		for (int i = 0; i < traceId.length(); i++) {
			if (traceId.charAt(i) != '0') {
				return false;
			}
		}
		return true;
	}

}
