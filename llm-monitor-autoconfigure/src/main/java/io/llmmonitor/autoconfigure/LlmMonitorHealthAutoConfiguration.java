package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.health.LlmHealthIndicator;
import io.micrometer.core.instrument.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code llm} health contributor: DOWN when every model called within
 * {@code llm.monitor.health.window} has failed its last
 * {@code llm.monitor.health.failure-threshold} calls. Off with
 * {@code management.health.llm.enabled=false}.
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(LlmMonitor.class)
@ConditionalOnEnabledHealthIndicator("llm")
public final class LlmMonitorHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "llmHealthIndicator")
	LlmHealthIndicator llmHealthIndicator(LlmMonitorProperties properties, ObjectProvider<Clock> clock) {
		return new LlmHealthIndicator(properties.getHealth().getFailureThreshold(), properties.getHealth().getWindow(),
				clock.getIfUnique(() -> Clock.SYSTEM));
	}

}
