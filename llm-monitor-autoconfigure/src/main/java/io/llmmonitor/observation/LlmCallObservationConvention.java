package io.llmmonitor.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the LLM call observation. Declare a bean of this type to replace
 * {@link DefaultLlmCallObservationConvention}.
 */
public interface LlmCallObservationConvention extends ObservationConvention<LlmCallContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

}
