package io.llmmonitor.call;

import java.util.concurrent.atomic.AtomicBoolean;

import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Ends a call exactly once: the first {@link #end} settles the context, records the error and
 * stops the observation; later ones do nothing. A failure while ending is reported, never thrown.
 */
abstract class AbstractObservedCall implements ObservedCall {

	private final AtomicBoolean ended = new AtomicBoolean();

	private final Observation observation;

	AbstractObservedCall(Observation observation) {
		this.observation = observation;
	}

	@Override
	public final Observation observation() {
		return this.observation;
	}

	final boolean hasEnded() {
		return this.ended.get();
	}

	@Override
	public final void end(CallStatus status, @Nullable Throwable error) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		String name = this.observation.getContext().getName();
		try {
			settle(status, error);
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("settling the figures of the observation '" + name + "'", ex);
		}
		// whatever happened above, the observation stops: gauges return and spans end. It stops in
		// its own scope, so that its span is current while handlers record: histogram exemplars
		// (time to first token, tokens/s) then link to this call's trace.
		Observation.Scope scope = ObservationScopes.open(this.observation);
		try {
			try {
				if (error != null) {
					this.observation.error(error);
				}
				this.observation.stop();
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("stopping the observation '" + name + "'", ex);
			}
			// still in the scope: a log line written here carries the call's trace id
			try {
				afterStop();
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("finishing the observation '" + name + "'", ex);
			}
		}
		finally {
			ObservationScopes.close(scope);
		}
	}

	/** Writes the final figures into the context, before any handler sees the stop. */
	abstract void settle(CallStatus status, @Nullable Throwable error);

	/** Runs once the observation has stopped. */
	void afterStop() {
	}

}
