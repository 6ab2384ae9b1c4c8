package io.llmmonitor.call;

import io.llmmonitor.observation.DefaultEndpointObservationConvention;
import io.llmmonitor.observation.EndpointContext;
import io.llmmonitor.observation.EndpointObservationConvention;
import io.llmmonitor.observation.LlmObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Starts {@code @MonitoredEndpoint} observations.
 */
public class EndpointMonitor {

	private static final DefaultEndpointObservationConvention DEFAULT_CONVENTION = new DefaultEndpointObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable EndpointObservationConvention convention;

	public EndpointMonitor(ObservationRegistry registry, @Nullable EndpointObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	/** Starts the observation of the named endpoint when the returned starter is called. */
	public CallStarter starter(String endpoint) {
		return (parent) -> {
			EndpointContext context = new EndpointContext(endpoint);
			Observation observation = LlmObservationDocumentation.ENDPOINT
				.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
				.parentObservation(parent);
			ObservationStarts.start(observation);
			return new EndpointCall(this.registry, context, observation);
		};
	}

}
