package io.llmmonitor.autoconfigure;

import java.util.Map;

import io.llmmonitor.aop.MonitoringAspect;
import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.ParentScopes;
import io.llmmonitor.error.ErrorCategory;
import io.llmmonitor.error.LlmErrorClassifier;
import io.llmmonitor.metrics.LlmHistogramMeterFilter;
import io.llmmonitor.metrics.GenAiSemconvMetricsObservationHandler;
import io.llmmonitor.metrics.LlmMeterDescriptionFilter;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.llmmonitor.tracing.LlmCallTracingObservationHandler;
import io.llmmonitor.tracing.TracerParentScopes;
import io.llmmonitor.usage.TokenCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.aspectj.weaver.Advice;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every condition of the llm-monitor auto-configurations, both ways.
 */
class LlmMonitorAutoConfigurationTests {

	private static final AutoConfigurations LLM_MONITOR = AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
			LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class,
			LlmMonitorAopAutoConfiguration.class);

	private static final AutoConfigurations BOOT_OBSERVABILITY = AutoConfigurations.of(
			ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			MicrometerTracingAutoConfiguration.class, AopAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(BOOT_OBSERVABILITY)
		.withConfiguration(LLM_MONITOR)
		.withUserConfiguration(SimpleTracingConfiguration.class);

	@Test
	void createsEveryBeanWithActuatorMetricsTracingAopAndReactor() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
			.hasSingleBean(EndpointMonitor.class)
			.hasSingleBean(ReactiveLlmMonitor.class)
			.hasSingleBean(MonitoringAspect.class)
			.hasSingleBean(LlmMetricsObservationHandler.class)
			.hasSingleBean(LlmHistogramMeterFilter.class)
			.hasSingleBean(LlmMeterDescriptionFilter.class)
			.hasSingleBean(LlmCallTracingObservationHandler.class)
			.hasSingleBean(TracerParentScopes.class)
			.hasSingleBean(TokenCounter.class));
	}

	@Test
	void llmCallSpansComeFromTheLlmTracingHandlerNotFromSpringBootsSenderHandler() {
		this.runner.run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				monitor.currentCall().orElseThrow().event("retrieval.done");
				return "answer";
			});
			// only the LLM handler turns the call's events into span events
			assertThat(context.getBean(SimpleTracer.class).onlySpan().getEvents()).extracting(Map.Entry::getValue)
				.containsExactly("retrieval.done");
		});
	}

	@Test
	void theOpenTelemetryGenAiMetricsAreOptIn() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(GenAiSemconvMetricsObservationHandler.class));
		this.runner.withPropertyValues("llm.monitor.metrics.semconv.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(GenAiSemconvMetricsObservationHandler.class)
				.hasSingleBean(LlmMetricsObservationHandler.class));
	}

	@Test
	void keepsSpringBootsDefaultMeterObservationHandler() {
		this.runner.run((context) -> assertThat(context.getBeansOfType(MeterObservationHandler.class).values())
			.hasOnlyElementsOfType(DefaultMeterObservationHandler.class)
			.hasSize(1));
	}

	@Test
	void disabledByPropertyCreatesNothing() {
		this.runner.withPropertyValues("llm.monitor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmMonitor.class)
				.doesNotHaveBean(EndpointMonitor.class)
				.doesNotHaveBean(MonitoringAspect.class)
				.doesNotHaveBean(LlmMetricsObservationHandler.class)
				.doesNotHaveBean(LlmHistogramMeterFilter.class)
				.doesNotHaveBean(LlmCallTracingObservationHandler.class)
				.doesNotHaveBean(LlmMonitorProperties.class));
	}

	@Test
	void backsOffWithoutAnObservationRegistry() {
		new ApplicationContextRunner().withConfiguration(LLM_MONITOR)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LlmMonitor.class)
				.doesNotHaveBean(MonitoringAspect.class));
	}

	@Test
	void withoutAMeterRegistryTracesStillWork() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					MicrometerTracingAutoConfiguration.class, AopAutoConfiguration.class))
			.withConfiguration(LLM_MONITOR)
			.withUserConfiguration(SimpleTracingConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.hasSingleBean(LlmCallTracingObservationHandler.class)
				.doesNotHaveBean(LlmMetricsObservationHandler.class)
				.doesNotHaveBean(LlmHistogramMeterFilter.class));
	}

	@Test
	void withoutATracerMetricsStillWork() {
		new ApplicationContextRunner().withConfiguration(BOOT_OBSERVABILITY)
			.withConfiguration(LLM_MONITOR)
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.hasSingleBean(LlmMetricsObservationHandler.class)
				.doesNotHaveBean(LlmCallTracingObservationHandler.class)
				.doesNotHaveBean(ParentScopes.class));
	}

	@Test
	void withoutMicrometerTracingOnTheClasspathMetricsStillWork() {
		this.runner.withClassLoader(new FilteredClassLoader(Tracer.class))
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.hasSingleBean(LlmMetricsObservationHandler.class)
				.doesNotHaveBean(LlmCallTracingObservationHandler.class));
	}

	@Test
	void withoutReactorEverythingElseWorks() {
		this.runner.withClassLoader(new FilteredClassLoader(Flux.class))
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.hasSingleBean(MonitoringAspect.class)
				.doesNotHaveBean(ReactiveLlmMonitor.class));
	}

	@Test
	void withoutAspectJTheProgrammaticApiStillWorks() {
		this.runner.withClassLoader(new FilteredClassLoader(Advice.class))
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.doesNotHaveBean(MonitoringAspect.class));
	}

	@Test
	void userBeansReplaceTheDefaults() {
		this.runner.withBean("customTokenCounter", TokenCounter.class, () -> (model, text) -> 1)
			.run((context) -> assertThat(context).getBean(TokenCounter.class)
				.isSameAs(context.getBean("customTokenCounter")));
	}

	@Test
	void theApplicationsErrorClassifiersAreAskedInOrderBeforeTheBuiltInRules() {
		this.runner.withUserConfiguration(ErrorClassifiers.class).run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			assertThatException().isThrownBy(() -> monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				throw new IllegalStateException("gateway quota exhausted");
			}));
			assertThatException().isThrownBy(() -> monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				throw new java.io.UncheckedIOException(new java.net.ConnectException("refused"));
			}));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("llm.errors").tag("category", "rate_limited").counter().count()).isEqualTo(1);
			assertThat(registry.get("llm.errors").tag("category", "network").counter().count()).isEqualTo(1);
		});
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class ErrorClassifiers {

		@org.springframework.context.annotation.Bean
		@Order(2)
		LlmErrorClassifier second() {
			return (error) -> String.valueOf(error.getMessage()).contains("quota") ? ErrorCategory.AUTH : null;
		}

		@org.springframework.context.annotation.Bean
		@Order(1)
		LlmErrorClassifier first() {
			return (error) -> (error instanceof IllegalStateException) ? ErrorCategory.RATE_LIMITED : null;
		}

	}

}
