package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.endpoint.LlmEndpoint;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code llm} actuator endpoint, a JSON summary of the LLM calls by model. Available when
 * exposed ({@code management.endpoints.web.exposure.include=llm}) and a {@link MeterRegistry}
 * records the calls.
 */
@AutoConfiguration(after = LlmMonitorMetricsAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean({ LlmMonitor.class, MeterRegistry.class })
@ConditionalOnAvailableEndpoint(LlmEndpoint.class)
public final class LlmMonitorEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LlmEndpoint llmEndpoint(MeterRegistry meterRegistry) {
		return new LlmEndpoint(meterRegistry);
	}

}
