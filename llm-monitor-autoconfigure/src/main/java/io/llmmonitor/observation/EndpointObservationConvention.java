package io.llmmonitor.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the endpoint observation. Declare a bean of this type to replace
 * {@link DefaultEndpointObservationConvention}.
 */
public interface EndpointObservationConvention extends ObservationConvention<EndpointContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof EndpointContext;
	}

}
