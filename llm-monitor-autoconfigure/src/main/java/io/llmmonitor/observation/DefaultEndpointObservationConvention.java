package io.llmmonitor.observation;

import io.llmmonitor.docs.LlmMeterNames;
import io.llmmonitor.observation.LlmObservationDocumentation.EndpointLowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * Default {@link EndpointObservationConvention}: observation {@code llm.endpoint.duration}
 * (scraped as {@code llm_endpoint_duration_seconds}), span named after the endpoint.
 */
public class DefaultEndpointObservationConvention implements EndpointObservationConvention {

	/** Name of the observation and of the duration timer it produces. */
	public static final String NAME = LlmMeterNames.ENDPOINT_DURATION;

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(EndpointContext context) {
		return context.getEndpoint();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(EndpointContext context) {
		KeyValues keyValues = KeyValues.of(EndpointLowCardinalityKeys.ENDPOINT.withValue(context.getEndpointTag()));
		CallStatus status = context.getStatus();
		return (status != null) ? keyValues.and(EndpointLowCardinalityKeys.STATUS.withValue(status.tagValue()))
				: keyValues;
	}

	/**
	 * The real endpoint name when its metric tag is folded to {@code other}: a high-cardinality
	 * key value of the same key overrides the low-cardinality one on spans, never in metrics.
	 */
	@Override
	public KeyValues getHighCardinalityKeyValues(EndpointContext context) {
		return context.getEndpointTag().equals(context.getEndpoint()) ? KeyValues.empty()
				: KeyValues.of(EndpointLowCardinalityKeys.ENDPOINT.withValue(context.getEndpoint()));
	}

}
