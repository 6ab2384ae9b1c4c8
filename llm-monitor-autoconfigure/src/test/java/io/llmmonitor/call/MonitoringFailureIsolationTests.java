package io.llmmonitor.call;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.llmmonitor.usage.TokenCounter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A failure inside monitoring (here: an observation handler that throws everywhere) is logged
 * and never reaches the monitored call.
 */
@ExtendWith(OutputCaptureExtension.class)
class MonitoringFailureIsolationTests {

	private static final LlmCallSpec SPEC = LlmCallSpec.chat("gpt-4o", "openai");

	private final LlmMonitor monitor = monitorWith(new ThrowingHandler());

	@Test
	void blockingCallReturnsItsResult() {
		assertThat(this.monitor.call(SPEC, () -> "answer")).isEqualTo("answer");
	}

	@Test
	void aFailingPlaceIsLoggedAtWarnOnceThenAtDebug(CapturedOutput output) {
		String place = "testing place " + System.nanoTime();
		MonitoringFailures.report(place, new IllegalStateException("first"));
		MonitoringFailures.report(place, new IllegalStateException("second"));

		assertThat(output.getOut().lines().filter((line) -> line.contains(place))).singleElement()
			.asString()
			.contains("WARN", "the monitored call is unaffected");
		assertThat(output.getOut()).contains("first").doesNotContain("second");
	}

	@Test
	void blockingCallExceptionStaysTheCallersException() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.monitor.call(SPEC, () -> {
			throw new IllegalArgumentException("bad prompt");
		})).withMessage("bad prompt");
	}

	@Test
	void asyncCallCompletes() {
		CompletableFuture<String> future = this.monitor.callAsync(SPEC,
				() -> CompletableFuture.supplyAsync(() -> "later"));
		assertThat(future.join()).isEqualTo("later");
	}

	@Test
	void streamDeliversEveryElement() {
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitor);
		assertThat(reactive.stream(SPEC, Flux.just("a", "b", "c")).collectList().block())
			.containsExactly("a", "b", "c");
		assertThat(reactive.call(SPEC, Mono.just("x")).block()).isEqualTo("x");
	}

	@Test
	void handlerFailingOnlyAtStopLeavesTheStreamIntact() {
		LlmMonitor stopFailing = monitorWith(new ObservationHandler<>() {
			@Override
			public void onStop(Observation.Context context) {
				throw new IllegalStateException("exporter down");
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}
		});
		Flux<String> stream = new ReactiveLlmMonitor(stopFailing).stream(SPEC,
				Flux.just("a", "b").delayElements(Duration.ofMillis(1)));
		assertThat(stream.collectList().block()).containsExactly("a", "b");
	}

	@Test
	void aFailingTokenCounterStillEndsTheCall() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		LlmMonitor monitor = monitorOn(meters, (model, text) -> {
			throw new IllegalStateException("tokenizer broken");
		});

		assertThat(new ReactiveLlmMonitor(monitor).stream(SPEC, Flux.just("a", "b")).collectList().block())
			.containsExactly("a", "b");

		assertThat(meters.get("llm.request.duration").tag("status", "success").timer().count()).isEqualTo(1);
		assertThat(meters.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
	}

	@Test
	void aFailingPriceTableLeavesTheCallAndItsOtherFiguresIntact(CapturedOutput output) {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(new LlmMetricsObservationHandler(meters));
		LlmMonitor monitor = new LlmMonitor(registry, null, new LlmResponseExtractors(List.of()),
				new JtokkitTokenCounter(EncodingType.CL100K_BASE), Clock.SYSTEM,
				LlmMonitorSettings.builder().prices((model) -> {
					throw new IllegalStateException("price service down");
				}).build());

		assertThat(monitor.call(SPEC, () -> "a short answer")).isEqualTo("a short answer");

		assertThat(meters.get("llm.request.duration").tag("status", "success").timer().count()).isEqualTo(1);
		assertThat(meters.get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter().count()).isEqualTo(3);
		assertThat(meters.find(LlmMetricsObservationHandler.COST).counters()).isEmpty();
		assertThat(output.getOut()).contains("pricing an LLM call", "price service down");
	}

	@Test
	void aHandlerFailingToOpenScopesStillLetsCallsEnd() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		LlmMonitor monitor = monitorOn(meters, new JtokkitTokenCounter(EncodingType.CL100K_BASE),
				new ObservationHandler<>() {
					@Override
					public void onScopeOpened(Observation.Context context) {
						throw new IllegalStateException("broken handler: scope");
					}

					@Override
					public boolean supportsContext(Observation.Context context) {
						return true;
					}
				});

		assertThat(monitor.call(SPEC, () -> "answer")).isEqualTo("answer");
		assertThat(new ReactiveLlmMonitor(monitor).stream(SPEC, Flux.just("a")).blockLast()).isEqualTo("a");

		assertThat(meters.get("llm.request.duration").timers()).extracting((timer) -> timer.count())
			.containsExactly(2L);
	}

	/** A monitor recording into these meters, with this token counter and any further handlers. */
	private static LlmMonitor monitorOn(SimpleMeterRegistry meters, TokenCounter tokenCounter,
			ObservationHandler<?>... handlers) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(new LlmMetricsObservationHandler(meters));
		for (ObservationHandler<?> handler : handlers) {
			registry.observationConfig().observationHandler(handler);
		}
		return new LlmMonitor(registry, null, new LlmResponseExtractors(List.of()), tokenCounter, Clock.SYSTEM,
				LlmMonitorSettings.DEFAULTS);
	}

	private static LlmMonitor monitorWith(ObservationHandler<?> handler) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(handler);
		return new LlmMonitor(registry, null, new LlmResponseExtractors(List.of()),
				new JtokkitTokenCounter(EncodingType.CL100K_BASE), Clock.SYSTEM, LlmMonitorSettings.DEFAULTS);
	}

	static final class ThrowingHandler implements ObservationHandler<Observation.Context> {

		@Override
		public void onStart(Observation.Context context) {
			throw new IllegalStateException("broken handler: start");
		}

		@Override
		public void onScopeOpened(Observation.Context context) {
			throw new IllegalStateException("broken handler: scope");
		}

		@Override
		public void onStop(Observation.Context context) {
			throw new IllegalStateException("broken handler: stop");
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
