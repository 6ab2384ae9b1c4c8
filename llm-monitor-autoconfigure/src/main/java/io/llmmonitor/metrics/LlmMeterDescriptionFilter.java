package io.llmmonitor.metrics;

import java.util.Map;

import io.llmmonitor.observation.DefaultEndpointObservationConvention;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Describes the meters that Spring Boot's default observation handler makes of the LLM
 * observations (the duration timers and their long-task twins), which it registers without a
 * description, so that every {@code llm_*} family has its {@code # HELP} line. A description
 * given elsewhere (a custom handler, another filter) is kept.
 */
public class LlmMeterDescriptionFilter implements MeterFilter {

	/** The suffix {@code DefaultMeterObservationHandler} gives the long task timer of an observation. */
	private static final String ACTIVE_SUFFIX = ".active";

	private static final Map<String, String> DESCRIPTIONS = Map.of(DefaultLlmCallObservationConvention.NAME,
			"Duration of LLM calls, from the call or subscription to completion, by status and error type",
			DefaultLlmCallObservationConvention.NAME + ACTIVE_SUFFIX,
			"LLM calls in flight and how long they have been running",
			DefaultEndpointObservationConvention.NAME,
			"Duration of @MonitoredEndpoint invocations, reactive returns timed to completion, by status",
			DefaultEndpointObservationConvention.NAME + ACTIVE_SUFFIX,
			"@MonitoredEndpoint invocations in flight and how long they have been running");

	@Override
	public Meter.Id map(Meter.Id id) {
		if (id.getDescription() != null) {
			return id;
		}
		String description = DESCRIPTIONS.get(id.getName());
		if (description == null) {
			return id;
		}
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description,
				id.getType());
	}

}
