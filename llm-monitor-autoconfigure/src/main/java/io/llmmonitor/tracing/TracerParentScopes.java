package io.llmmonitor.tracing;

import io.llmmonitor.call.internal.ParentScopes;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import org.jspecify.annotations.Nullable;

/**
 * {@link ParentScopes} that asks the tracer: Micrometer's tracing handlers make the parent
 * observation's span the parent of a new span unless the thread has a current span of its own
 * that differs. The parent's scope is needed only then, or when the parent has no span while the
 * thread has one (in scope, the parent would clear it). On a thread with no current span (a
 * reactive server's event loop) no scope is opened.
 */
public final class TracerParentScopes implements ParentScopes {

	private final Tracer tracer;

	public TracerParentScopes(Tracer tracer) {
		this.tracer = tracer;
	}

	@Override
	public boolean needed(Observation parent) {
		TraceContext current = this.tracer.currentTraceContext().context();
		if (current == null) {
			return false;
		}
		TracingContext tracing = parent.getContextView().get(TracingContext.class);
		Span parentSpan = (tracing != null) ? tracing.getSpan() : null;
		return parentSpan == null || !isSameSpan(current, parentSpan.context());
	}

	private static boolean isSameSpan(TraceContext current, @Nullable TraceContext parent) {
		return parent != null && current.spanId().equals(parent.spanId())
				&& current.traceId().equals(parent.traceId());
	}

}
