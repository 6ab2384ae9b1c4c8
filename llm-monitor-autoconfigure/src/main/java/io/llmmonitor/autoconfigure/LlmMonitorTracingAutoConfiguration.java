package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.ParentScopes;
import io.llmmonitor.tracing.LlmCallTracingObservationHandler;
import io.llmmonitor.tracing.TracerParentScopes;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * GenAI CLIENT spans for LLM calls. Needs Micrometer Tracing with a {@link Tracer} (e.g. the
 * OpenTelemetry bridge); without it, metrics still work. Export is Spring Boot's
 * ({@code management.opentelemetry.tracing.export.otlp.endpoint}).
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnClass(Tracer.class)
@ConditionalOnBean({ LlmMonitor.class, Tracer.class, Propagator.class })
public final class LlmMonitorTracingAutoConfiguration {

	/**
	 * Before Spring Boot's sender tracing handler, which would otherwise take LLM calls (an LLM
	 * call's context is a sender context): the first tracing handler that supports a context is
	 * the only one that sees it.
	 */
	static final int LLM_TRACING_OBSERVATION_HANDLER_ORDER =
			MicrometerTracingAutoConfiguration.SENDER_TRACING_OBSERVATION_HANDLER_ORDER - 100;

	@Bean
	@ConditionalOnMissingBean
	@Order(LLM_TRACING_OBSERVATION_HANDLER_ORDER)
	LlmCallTracingObservationHandler llmCallTracingObservationHandler(Tracer tracer, Propagator propagator) {
		return new LlmCallTracingObservationHandler(tracer, propagator);
	}

	/**
	 * Lets a call subscribed on a thread without a current span (a reactive server's event loop)
	 * start without opening its parent's scope: the tracer takes the parent's span anyway.
	 */
	@Bean
	@ConditionalOnMissingBean
	ParentScopes llmParentScopes(Tracer tracer) {
		return new TracerParentScopes(tracer);
	}

}
