package io.llmmonitor.call;

import java.util.concurrent.atomic.AtomicBoolean;

import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.EndpointContext;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @MonitoredEndpoint} invocation in flight; its elements are not inspected.
 */
final class EndpointCall implements ObservedCall {

	private final EndpointContext context;

	private final Observation observation;

	private final AtomicBoolean ended = new AtomicBoolean();

	EndpointCall(EndpointContext context, Observation observation) {
		this.context = context;
		this.observation = observation;
	}

	@Override
	public Observation observation() {
		return this.observation;
	}

	@Override
	public void onElement(@Nullable Object element) {
	}

	@Override
	public void end(CallStatus status, @Nullable Throwable error) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		try {
			this.context.setStatus(status);
			if (error != null) {
				this.observation.error(error);
			}
			this.observation.stop();
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("ending an endpoint observation", ex);
		}
	}

}
