package io.llmmonitor.call;

import io.llmmonitor.call.internal.MonitoringFailures;
import io.micrometer.observation.Observation;

/**
 * Starts observations whose handlers may fail.
 */
final class ObservationStarts {

	private ObservationStarts() {
	}

	/**
	 * Starts the observation. A handler failing in {@code onStart} keeps the handlers after it from
	 * hearing of the start, but those before it have started (a span, a long task timer sample, a
	 * gauge): the call goes on, to be stopped at its end like any other, so that they close what
	 * they opened and the call is still recorded.
	 */
	static void start(Observation observation) {
		try {
			observation.start();
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("starting the observation '" + observation.getContext().getName() + "'", ex);
		}
	}

}
