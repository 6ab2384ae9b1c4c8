package io.llmmonitor.autoconfigure;

import java.time.Duration;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.gpu.GpuMetrics;
import io.llmmonitor.gpu.NvidiaSmi;
import io.llmmonitor.gpu.NvidiaSmiCondition;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * GPU metrics of the host when {@code nvidia-smi} exists (and a {@link MeterRegistry} records
 * them). Off with {@code llm.monitor.gpu.enabled=false}.
 */
@AutoConfiguration(after = LlmMonitorMetricsAutoConfiguration.class)
@ConditionalOnBean({ LlmMonitor.class, MeterRegistry.class })
@ConditionalOnBooleanProperty(name = "llm.monitor.gpu.enabled", matchIfMissing = true)
@Conditional(NvidiaSmiCondition.class)
public final class LlmMonitorGpuAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GpuMetrics llmGpuMetrics(LlmMonitorProperties properties) {
		Duration interval = properties.getGpu().getInterval();
		Duration timeout = (interval.compareTo(Duration.ofSeconds(10)) < 0) ? interval : Duration.ofSeconds(10);
		return new GpuMetrics(new NvidiaSmi(properties.getGpu().getCommand(), timeout), interval);
	}

}
