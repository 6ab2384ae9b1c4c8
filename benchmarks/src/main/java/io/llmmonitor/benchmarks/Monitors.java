package io.llmmonitor.benchmarks;

import java.util.List;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.metrics.LlmHistogramBuckets;
import io.llmmonitor.metrics.LlmHistogramMeterFilter;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;

/**
 * llm-monitor wired as its auto-configuration wires it, on a given meter registry.
 */
final class Monitors {

	private Monitors() {
	}

	/** An observation registry with Micrometer's default meter handler, plus llm-monitor's when asked. */
	static ObservationRegistry observationRegistry(MeterRegistry meterRegistry, boolean llmMetrics) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
		if (llmMetrics) {
			meterRegistry.config().meterFilter(new LlmHistogramMeterFilter(LlmHistogramBuckets.DEFAULTS));
			registry.observationConfig().observationHandler(new LlmMetricsObservationHandler(meterRegistry));
		}
		return registry;
	}

	static LlmMonitor llmMonitor(ObservationRegistry registry, LlmResponseExtractor<?>... extractors) {
		return new LlmMonitor(registry, null, new LlmResponseExtractors(List.of(extractors)),
				new JtokkitTokenCounter(EncodingType.CL100K_BASE), Clock.SYSTEM, LlmMonitorSettings.DEFAULTS);
	}

}
