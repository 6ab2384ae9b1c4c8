package io.llmmonitor.autoconfigure;

import io.llmmonitor.aop.MonitoringAspect;
import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmMonitor;
import org.aspectj.weaver.Advice;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The aspect behind {@code @MonitoredLlmCall} and {@code @MonitoredEndpoint}. Needs AspectJ
 * ({@code spring-boot-starter-aspectj}); without it, the programmatic API still works.
 */
@AutoConfiguration(after = { LlmMonitorAutoConfiguration.class, AopAutoConfiguration.class })
@ConditionalOnClass(Advice.class)
@ConditionalOnBean(LlmMonitor.class)
public final class LlmMonitorAopAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MonitoringAspect llmMonitoringAspect(LlmMonitor llmMonitor, EndpointMonitor endpointMonitor,
			InvocationObserver invocationObserver, LlmMonitorProperties properties) {
		return new MonitoringAspect(llmMonitor, endpointMonitor, invocationObserver, properties.getAop().getOrder());
	}

}
