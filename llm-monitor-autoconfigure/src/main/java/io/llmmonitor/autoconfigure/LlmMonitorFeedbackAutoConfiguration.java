package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.feedback.FeedbackSpans;
import io.llmmonitor.feedback.LlmFeedback;
import io.llmmonitor.feedback.LlmFeedbackEndpoint;
import io.llmmonitor.feedback.RecentLlmCalls;
import io.llmmonitor.feedback.RecentLlmCallsObservationHandler;
import io.llmmonitor.feedback.TracingFeedbackSpans;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Users' feedback on answers: the {@link LlmFeedback} bean, with a {@link MeterRegistry} the
 * metric {@code llm_feedback_score}, with a {@link Tracer} a span linked to the rated call and
 * the recent calls by trace id; the {@code llmfeedback} actuator endpoint when its access is
 * granted and it is exposed. Off with {@code llm.monitor.feedback.enabled=false}.
 */
@AutoConfiguration(after = { LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class },
		afterName = { "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
@ConditionalOnBean(LlmMonitor.class)
@ConditionalOnBooleanProperty(name = "llm.monitor.feedback.enabled", matchIfMissing = true)
public final class LlmMonitorFeedbackAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecentLlmCalls llmRecentCalls(LlmMonitorProperties properties, ObjectProvider<Clock> clock) {
		LlmMonitorProperties.RecentCalls recentCalls = properties.getFeedback().getRecentCalls();
		return new RecentLlmCalls(recentCalls.getMaxSize(), recentCalls.getTimeToLive(),
				clock.getIfUnique(() -> Clock.SYSTEM));
	}

	@Bean
	@ConditionalOnMissingBean
	LlmFeedback llmFeedback(ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<FeedbackSpans> spans,
			RecentLlmCalls recentCalls, LlmMonitor monitor) {
		return new LlmFeedback(meterRegistry.getIfUnique(), spans.getIfUnique(), recentCalls, monitor);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Tracer.class)
	@ConditionalOnBean(Tracer.class)
	static class TracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FeedbackSpans llmFeedbackSpans(Tracer tracer, LlmMonitorProperties properties) {
			return new TracingFeedbackSpans(tracer, properties.toSettings().contentCapture());
		}

		@Bean
		@ConditionalOnMissingBean
		RecentLlmCallsObservationHandler llmRecentCallsObservationHandler(RecentLlmCalls recentCalls) {
			return new RecentLlmCallsObservationHandler(recentCalls);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
	@ConditionalOnAvailableEndpoint(LlmFeedbackEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LlmFeedbackEndpoint llmFeedbackEndpoint(LlmFeedback feedback) {
			return new LlmFeedbackEndpoint(feedback);
		}

	}

}
