package io.llmmonitor.call;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.tracing.LlmCallTracingObservationHandler;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * An application's observation handler that throws in one of its hooks, registered after the
 * tracing, meter and llm-monitor handlers of a registry built by hand: the call still returns,
 * ends and is recorded with its status, and nothing stays open behind it (the active gauge, the
 * long task timer, the span, the thread's current observation and span). In Spring Boot the
 * handler is isolated besides, see {@code ObservationHandlerIsolationTests}.
 */
class FailingHandlerTests {

	private static final LlmCallSpec SPEC = LlmCallSpec.chat("gpt-4o", "openai");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final SimpleTracer tracer = new SimpleTracer();

	private final ObservationRegistry registry = ObservationRegistry.create();

	/** The hook a handler fails in. */
	enum Hook {

		START, ERROR, STOP, SCOPE_OPENED

	}

	@ParameterizedTest
	@EnumSource(Hook.class)
	void aBlockingCallIsRecordedAndLeavesNothingOpen(Hook hook) {
		LlmMonitor monitor = monitorWithHandlerFailingIn(hook);

		if (hook == Hook.ERROR) {
			assertThatIllegalArgumentException().isThrownBy(() -> monitor.call(SPEC, () -> {
				throw new IllegalArgumentException("bad prompt");
			}));
		}
		else {
			assertThat(monitor.call(SPEC, () -> "a short answer")).isEqualTo("a short answer");
		}

		assertRecordedAndClosed(hook, (hook == Hook.ERROR) ? 0 : 3);
	}

	@ParameterizedTest
	@EnumSource(Hook.class)
	void aStreamIsRecordedAndLeavesNothingOpen(Hook hook) {
		ReactiveLlmMonitor monitor = new ReactiveLlmMonitor(monitorWithHandlerFailingIn(hook));
		// on the caller's thread, where a scope left open would show
		Flux<String> tokens = Flux.just("a", " short", " answer");

		if (hook == Hook.ERROR) {
			Flux<String> failing = tokens.concatWith(Flux.error(new IllegalArgumentException("stream broke")));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> monitor.stream(SPEC, failing).collectList().block(Duration.ofSeconds(5)));
		}
		else {
			assertThat(monitor.stream(SPEC, tokens).collectList().block(Duration.ofSeconds(5)))
				.containsExactly("a", " short", " answer");
		}

		assertRecordedAndClosed(hook, 3);
	}

	private void assertRecordedAndClosed(Hook hook, int outputTokens) {
		String status = (hook == Hook.ERROR) ? "error" : "success";
		assertThat(this.meters.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
		if (outputTokens > 0) {
			assertThat(this.meters.get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter().count())
				.isEqualTo(outputTokens);
		}
		assertThat(this.tracer.getSpans()).singleElement().satisfies((span) -> {
			assertThat(span.getEndTimestamp().toEpochMilli()).isPositive();
			assertThat(span.getTags()).containsEntry("status", status);
		});
		assertThat(this.registry.getCurrentObservation()).isNull();
		assertThat(this.tracer.currentSpan()).isNull();
		if (hook != Hook.STOP) {
			// Micrometer's meter handler, which a failure in onStop before it keeps from hearing of the
			// stop in a registry built by hand
			assertThat(this.meters.get("llm.request.duration").tag("status", status).timer().count()).isEqualTo(1);
			assertThat(this.meters.get("llm.request.duration.active").longTaskTimer().activeTasks()).isZero();
		}
	}

	private LlmMonitor monitorWithHandlerFailingIn(Hook hook) {
		this.registry.observationConfig()
			.observationHandler(new LlmCallTracingObservationHandler(this.tracer, Propagator.NOOP))
			.observationHandler(new DefaultMeterObservationHandler(this.meters))
			.observationHandler(new LlmMetricsObservationHandler(this.meters))
			.observationHandler(new FailingHandler(hook));
		return new LlmMonitor(this.registry, null, new LlmResponseExtractors(List.of()),
				new JtokkitTokenCounter(EncodingType.CL100K_BASE), Clock.SYSTEM, LlmMonitorSettings.DEFAULTS);
	}

	private record FailingHandler(Hook hook) implements ObservationHandler<Observation.Context> {

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
