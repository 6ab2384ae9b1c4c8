package io.llmmonitor.call.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Opens and closes observation scopes without letting a failing handler through.
 */
public final class ObservationScopes {

	private ObservationScopes() {
	}

	/** The opened scope, or {@code null} (and a report) when a handler failed. */
	public static Observation.@Nullable Scope open(Observation observation) {
		return open(null, observation);
	}

	/**
	 * The opened scope, or {@code null} (and a report) when a handler failed. Micrometer makes the
	 * scope current before its handlers hear of it, so a handler failing in {@code onScopeOpened}
	 * would leave the observation current on this thread for good: the half-opened scope is closed
	 * (so that the handlers that opened something, the tracer's span in scope, close it) and the
	 * registry's current scope is put back.
	 * @param registry the registry of the observation, {@code null} when unknown (nothing to put back)
	 */
	public static Observation.@Nullable Scope open(@Nullable ObservationRegistry registry, Observation observation) {
		Observation.Scope previous = (registry != null) ? registry.getCurrentObservationScope() : null;
		try {
			return observation.openScope();
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("opening an observation scope", ex);
			if (registry != null) {
				Observation.Scope halfOpened = registry.getCurrentObservationScope();
				if (halfOpened != null && halfOpened != previous && halfOpened.getCurrentObservation() == observation) {
					close(halfOpened);
				}
				registry.setCurrentObservationScope(previous);
			}
			return null;
		}
	}

	public static void close(Observation.@Nullable Scope scope) {
		if (scope == null) {
			return;
		}
		try {
			scope.close();
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("closing an observation scope", ex);
		}
	}

}
