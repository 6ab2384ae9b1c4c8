package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * In a Spring Boot application, an application's observation handler that throws in any hook on an
 * LLM call keeps nothing of the call from being recorded: Boot's meter handler times it with its
 * status and closes its long task timer, the span ends, the active gauge returns to 0. Other
 * observations still see the handler's failure.
 */
class ObservationHandlerIsolationTests {

	private static final LlmCallSpec SPEC = LlmCallSpec.chat("gpt-4o", "openai");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class))
		.withUserConfiguration(SimpleTracingConfiguration.class);

	/** The hook a handler fails in. */
	enum Hook {

		START, ERROR, STOP, SCOPE_OPENED

	}

	@ParameterizedTest
	@EnumSource(Hook.class)
	void aFailingApplicationHandlerLeavesLlmCallsRecordedAndClosed(Hook hook) {
		this.runner.withBean(FailingHandler.class, () -> new FailingHandler(hook)).run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			Flux<String> tokens = Flux.just("a", " short", " answer");
			String status = (hook == Hook.ERROR) ? "error" : "success";
			if (hook == Hook.ERROR) {
				assertThatIllegalArgumentException().isThrownBy(() -> monitor.call(SPEC, () -> {
					throw new IllegalArgumentException("bad prompt");
				}));
				tokens = tokens.concatWith(Flux.error(new IllegalArgumentException("stream broke")));
			}
			else {
				assertThat(monitor.call(SPEC, () -> "a short answer")).isEqualTo("a short answer");
			}
			context.getBean(ReactiveLlmMonitor.class).stream(SPEC, tokens).onErrorComplete().blockLast();

			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("llm.request.duration").tag("status", status).timer().count()).isEqualTo(2);
			assertThat(meters.get("llm.request.duration.active").longTaskTimer().activeTasks()).isZero();
			assertThat(meters.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
			SimpleTracer tracer = context.getBean(SimpleTracer.class);
			assertThat(tracer.getSpans()).hasSize(2)
				.allSatisfy((span) -> assertThat(span.getEndTimestamp().toEpochMilli()).isPositive());
			assertThat(tracer.currentSpan()).isNull();
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			assertThat(registry.getCurrentObservation()).isNull();

			Observation.Scope before = registry.getCurrentObservationScope();
			try {
				assertThatIllegalStateException().isThrownBy(() -> {
					Observation other = Observation.start("other", registry);
					other.openScope().close();
					other.error(new IllegalArgumentException());
					other.stop();
				}).withMessage("broken handler: " + hook);
			}
			finally {
				// the current scope is a static thread local: leave none behind for the next tests
				Observation.Scope leaked = registry.getCurrentObservationScope();
				if (leaked != null && leaked != before) {
					leaked.close();
				}
				registry.setCurrentObservationScope(before);
			}
		});
	}

	@Test
	void offWithTheMonitor() {
		this.runner.withPropertyValues("llm.monitor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(IsolatedObservationHandlerGroup.class));
	}

	static final class FailingHandler implements ObservationHandler<Observation.Context> {

		private final Hook hook;

		FailingHandler(Hook hook) {
			this.hook = hook;
		}

		@Override
		public void onStart(Observation.Context context) {
			failIn(Hook.START);
		}

		@Override
		public void onError(Observation.Context context) {
			failIn(Hook.ERROR);
		}

		@Override
		public void onStop(Observation.Context context) {
			failIn(Hook.STOP);
		}

		@Override
		public void onScopeOpened(Observation.Context context) {
			failIn(Hook.SCOPE_OPENED);
		}

		private void failIn(Hook failing) {
			if (this.hook == failing) {
				throw new IllegalStateException("broken handler: " + failing);
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
