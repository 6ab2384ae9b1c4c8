package io.llmmonitor.call;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Opens and closes observation scopes without letting a failing handler through.
 */
final class ObservationScopes {

	private ObservationScopes() {
	}

	/** The opened scope, or {@code null} (and a report) when a handler failed. */
	static Observation.@Nullable Scope open(Observation observation) {
		try {
			return observation.openScope();
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("opening an observation scope", ex);
			return null;
		}
	}

	static void close(Observation.@Nullable Scope scope) {
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
