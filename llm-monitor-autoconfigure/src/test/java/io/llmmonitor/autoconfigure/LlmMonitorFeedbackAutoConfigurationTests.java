package io.llmmonitor.autoconfigure;

import java.time.Duration;

import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.feedback.Feedback;
import io.llmmonitor.feedback.FeedbackSpans;
import io.llmmonitor.feedback.LlmFeedback;
import io.llmmonitor.feedback.LlmFeedbackEndpoint;
import io.llmmonitor.feedback.RecentLlmCalls;
import io.llmmonitor.feedback.RecentLlmCallsObservationHandler;
import io.llmmonitor.feedback.TracingFeedbackSpans;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link LlmMonitorFeedbackAutoConfiguration}, both ways.
 */
class LlmMonitorFeedbackAutoConfigurationTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class,
				LlmMonitorFeedbackAutoConfiguration.class))
		.withUserConfiguration(SimpleTracingConfiguration.class);

	@Test
	void withMetricsAndTracingFeedbackIsAMetricAndALinkedSpan() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(LlmFeedback.class)
				.hasSingleBean(RecentLlmCalls.class)
				.hasSingleBean(RecentLlmCallsObservationHandler.class)
				.hasSingleBean(TracingFeedbackSpans.class)
				.doesNotHaveBean(LlmFeedbackEndpoint.class);
			context.getBean(LlmFeedback.class).recordForTrace(TRACE_ID, Feedback.thumbsUp());
			assertThat(context.getBean(MeterRegistry.class).get(LlmFeedback.SCORE).summary().count()).isEqualTo(1);
			assertThat(context.getBean(SimpleTracer.class).getSpans()).singleElement()
				.satisfies((span) -> assertThat(span.getName()).isEqualTo("llm feedback"));
		});
	}

	@Test
	void withoutATracerFeedbackIsAMetricOnly() {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class)).run((context) -> {
			assertThat(context).hasSingleBean(LlmFeedback.class)
				.doesNotHaveBean(FeedbackSpans.class)
				.doesNotHaveBean(RecentLlmCallsObservationHandler.class);
			context.getBean(LlmFeedback.class).recordForTrace(TRACE_ID, Feedback.thumbsDown());
			assertThat(context.getBean(MeterRegistry.class).get(LlmFeedback.SCORE).summary().count()).isEqualTo(1);
		});
	}

	@Test
	void withoutAMeterRegistryFeedbackIsASpanOnly() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
					LlmMonitorTracingAutoConfiguration.class, LlmMonitorFeedbackAutoConfiguration.class))
			.withUserConfiguration(SimpleTracingConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(LlmFeedback.class).doesNotHaveBean(MeterRegistry.class);
				context.getBean(LlmFeedback.class).recordForTrace(TRACE_ID, Feedback.score(0.5));
				assertThat(context.getBean(SimpleTracer.class).getSpans()).hasSize(1);
			});
	}

	@Test
	void disabledByProperty() {
		this.runner.withPropertyValues("llm.monitor.feedback.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmFeedback.class)
				.doesNotHaveBean(RecentLlmCalls.class)
				.doesNotHaveBean(RecentLlmCallsObservationHandler.class));
		this.runner.withPropertyValues("llm.monitor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmFeedback.class));
	}

	/** A Spring Boot application converts "unrestricted" too; the runner has no conversion service. */
	@Test
	void theEndpointNeedsItsAccessGrantedAndToBeExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=llmfeedback")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmFeedbackEndpoint.class));
		this.runner.withPropertyValues("management.endpoint.llmfeedback.access=UNRESTRICTED")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmFeedbackEndpoint.class));
		this.runner
			.withPropertyValues("management.endpoint.llmfeedback.access=UNRESTRICTED",
					"management.endpoints.web.exposure.include=llmfeedback")
			.run((context) -> assertThat(context).hasSingleBean(LlmFeedbackEndpoint.class));
	}

	@Test
	void theRecentCallsAreBoundAsConfigured() {
		this.runner
			.withPropertyValues("llm.monitor.feedback.recent-calls.max-size=1",
					"llm.monitor.feedback.recent-calls.time-to-live=5m")
			.run((context) -> {
				LlmMonitorProperties.RecentCalls recentCalls = context.getBean(LlmMonitorProperties.class)
					.getFeedback()
					.getRecentCalls();
				assertThat(recentCalls.getMaxSize()).isEqualTo(1);
				assertThat(recentCalls.getTimeToLive()).isEqualTo(Duration.ofMinutes(5));
			});
	}

	@Test
	void userBeansReplaceTheDefaults() {
		RecentLlmCalls recentCalls = new RecentLlmCalls(1, Duration.ofMinutes(1), Clock.SYSTEM);
		LlmFeedback feedback = new LlmFeedback(null, null, recentCalls,
				TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS).monitor);
		FeedbackSpans spans = (call, rating) -> {
		};
		this.runner.withBean(RecentLlmCalls.class, () -> recentCalls)
			.withBean(LlmFeedback.class, () -> feedback)
			.withBean(FeedbackSpans.class, () -> spans)
			.run((context) -> {
				assertThat(context.getBean(RecentLlmCalls.class)).isSameAs(recentCalls);
				assertThat(context.getBean(LlmFeedback.class)).isSameAs(feedback);
				assertThat(context.getBean(FeedbackSpans.class)).isSameAs(spans);
			});
	}

}
