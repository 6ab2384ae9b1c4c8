package io.llmmonitor.call;

import io.llmmonitor.call.internal.CardinalityGuard;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.EndpointContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @MonitoredEndpoint} invocation in flight; its elements are not inspected.
 */
final class EndpointCall extends AbstractObservedCall {

	private final EndpointContext context;

	private final CardinalityGuard endpointGuard;

	EndpointCall(ObservationRegistry registry, EndpointContext context, Observation observation,
			CardinalityGuard endpointGuard) {
		super(registry, observation);
		this.context = context;
		this.endpointGuard = endpointGuard;
	}

	@Override
	public void onElement(@Nullable Object element) {
	}

	@Override
	void settle(CallStatus status, @Nullable Throwable error) {
		this.context.setStatus(status);
		this.context.setEndpointTag(this.endpointGuard.atEnd(this.context.getEndpoint(), status == CallStatus.SUCCESS));
	}

}
