package io.llmmonitor.observation;

import io.llmmonitor.call.internal.MonitoringFailures;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Another observation handler, whose failure on an LLM call or endpoint observation is reported
 * instead of thrown: Micrometer stops telling handlers at the first one that throws, so one
 * failing handler would otherwise keep the handlers after it (the meter handler's timer and long
 * task timer, the tracer's span) from hearing of the call's start or stop. Other observations see
 * the handler unchanged.
 *
 * @param <T> context type
 */
public final class FailureIsolatingObservationHandler<T extends Observation.Context> implements ObservationHandler<T> {

	private final ObservationHandler<T> delegate;

	public FailureIsolatingObservationHandler(ObservationHandler<T> delegate) {
		this.delegate = delegate;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return this.delegate.supportsContext(context);
	}

	@Override
	public void onStart(T context) {
		try {
			this.delegate.onStart(context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onStart", ex);
		}
	}

	@Override
	public void onError(T context) {
		try {
			this.delegate.onError(context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onError", ex);
		}
	}

	@Override
	public void onEvent(Observation.Event event, T context) {
		try {
			this.delegate.onEvent(event, context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onEvent", ex);
		}
	}

	@Override
	public void onScopeOpened(T context) {
		try {
			this.delegate.onScopeOpened(context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onScopeOpened", ex);
		}
	}

	@Override
	public void onScopeClosed(T context) {
		try {
			this.delegate.onScopeClosed(context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onScopeClosed", ex);
		}
	}

	@Override
	public void onScopeReset(T context) {
		try {
			this.delegate.onScopeReset(context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onScopeReset", ex);
		}
	}

	@Override
	public void onStop(T context) {
		try {
			this.delegate.onStop(context);
		}
		catch (RuntimeException ex) {
			isolate(context, "onStop", ex);
		}
	}

	private void isolate(Observation.Context context, String hook, RuntimeException failure) {
		if (!(context instanceof LlmCallContext) && !(context instanceof EndpointContext)) {
			throw failure;
		}
		MonitoringFailures.report("running " + hook + " of the observation handler "
				+ this.delegate.getClass().getName(), failure);
	}

}
