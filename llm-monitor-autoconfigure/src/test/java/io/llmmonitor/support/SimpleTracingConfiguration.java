package io.llmmonitor.support;

import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleTracer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An in-memory tracer in place of a tracing bridge, so that Spring Boot's tracing
 * auto-configuration and llm-monitor's tracing handler switch on.
 */
@Configuration(proxyBeanMethods = false)
public class SimpleTracingConfiguration {

	@Bean
	SimpleTracer simpleTracer() {
		return new SimpleTracer();
	}

	@Bean
	Propagator propagator() {
		return Propagator.NOOP;
	}

}
