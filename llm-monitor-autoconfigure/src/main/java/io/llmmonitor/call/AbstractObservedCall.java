package io.llmmonitor.call;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.call.internal.ObservationScopes;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Ends a call exactly once: the first {@link #end} settles the context, records the error and
 * stops the observation; later ones do nothing. A failure while ending is reported, never thrown,
 * and never keeps the observation from stopping: Micrometer stops telling handlers at the first
 * one that throws, so a handler failing in {@code onError} would otherwise skip the stop, and one
 * failing in {@code onStop} the stop of the handlers after it.
 */
abstract class AbstractObservedCall implements ObservedCall {

	private static final AtomicIntegerFieldUpdater<AbstractObservedCall> ENDED = AtomicIntegerFieldUpdater
		.newUpdater(AbstractObservedCall.class, "ended");

	/** 1 once the call has ended: set once, by {@link #ENDED}, with no atomic object per call. */
	private volatile int ended;

	private final ObservationRegistry registry;

	private final Observation observation;

	AbstractObservedCall(ObservationRegistry registry, Observation observation) {
		this.registry = registry;
		this.observation = observation;
	}

	@Override
	public final Observation observation() {
		return this.observation;
	}

	final boolean hasEnded() {
		return this.ended != 0;
	}

	@Override
	public final void end(CallStatus status, @Nullable Throwable error) {
		if (deferEnd(status, error)) {
			return;
		}
		if (!ENDED.compareAndSet(this, 0, 1)) {
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
		// (time to first token, tokens/s) then link to this call's trace. A call that ends where
		// it runs (a blocking method returning) is in that scope already: none is opened again.
		Observation.Scope scope = (this.registry.getCurrentObservation() != this.observation)
				? ObservationScopes.open(this.registry, this.observation) : null;
		try {
			if (error != null) {
				try {
					this.observation.error(error);
				}
				catch (RuntimeException ex) {
					MonitoringFailures.report("recording the error of the observation '" + name + "'", ex);
				}
			}
			try {
				this.observation.stop();
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("stopping the observation '" + name + "'", ex);
				try {
					afterFailedStop();
				}
				catch (RuntimeException missed) {
					MonitoringFailures.report("telling the handlers of the observation '" + name + "' it stopped", missed);
				}
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

	/**
	 * Whether this end waits for work still running that belongs to the call; that work ends the
	 * call later with {@link #end}. Never for an end already released.
	 */
	boolean deferEnd(CallStatus status, @Nullable Throwable error) {
		return false;
	}

	/** Writes the final figures into the context, before any handler sees the stop. */
	abstract void settle(CallStatus status, @Nullable Throwable error);

	/**
	 * Runs when a handler failed while the observation stopped: the handlers after it were not told.
	 */
	void afterFailedStop() {
	}

	/** Runs once the observation has stopped. */
	void afterStop() {
	}

}
