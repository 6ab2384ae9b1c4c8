package io.llmmonitor.metrics;

import java.util.Map;

import io.llmmonitor.docs.LlmMeters;
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

	private static final Map<String, String> DESCRIPTIONS = Map.of(LlmMeters.REQUEST_DURATION.getName(),
			LlmMeters.REQUEST_DURATION.getDescription(), LlmMeters.REQUEST_DURATION_ACTIVE.getName(),
			LlmMeters.REQUEST_DURATION_ACTIVE.getDescription(), LlmMeters.ENDPOINT_DURATION.getName(),
			LlmMeters.ENDPOINT_DURATION.getDescription(), LlmMeters.ENDPOINT_DURATION_ACTIVE.getName(),
			LlmMeters.ENDPOINT_DURATION_ACTIVE.getDescription());

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
