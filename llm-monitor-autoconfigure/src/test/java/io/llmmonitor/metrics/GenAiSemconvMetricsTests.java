package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;

/**
 * The OpenTelemetry GenAI client metrics, under Reactor's virtual time: names, units, attributes,
 * bucket boundaries and values.
 */
class GenAiSemconvMetricsTests {

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	private final TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
			new Chunk.Extractor());

	GenAiSemconvMetricsTests() {
		this.monitors.observationRegistry.observationConfig()
			.observationHandler(new GenAiSemconvMetricsObservationHandler(this.monitors.meterRegistry, 100, 50));
	}

	@AfterEach
	void resetVirtualTime() {
		VirtualTimeScheduler.reset();
	}

	/** First chunk after 100 ms, four more every 20 ms, then usage 20 ms later. */
	private static Flux<Chunk> stream() {
		return Mono.delay(Duration.ofMillis(100))
			.thenReturn(Chunk.text("Hello"))
			.concatWith(Flux.interval(Duration.ofMillis(20)).take(4).map((tick) -> Chunk.text(" world")))
			.concatWith(Mono.delay(Duration.ofMillis(20)).thenReturn(Chunk.usage(12, 5)));
	}

	@Test
	void aStreamRecordsDurationTokensTimeToFirstChunkAndTimePerOutputChunk() {
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);
		StepVerifier
			.withVirtualTime(() -> reactive.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), stream()),
					() -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(6)
			.verifyComplete();

		String[] attributes = { "gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
				"gen_ai.request.model", "gpt-4o", "gen_ai.response.model", "gpt-4o-2024-08-06" };
		DistributionSummary duration = summary(GenAiSemconvMetricsObservationHandler.OPERATION_DURATION);
		assertThat(duration.getId().getBaseUnit()).isEqualTo("s");
		assertThat(duration.getId().getTags()).extracting("key")
			.containsExactlyInAnyOrder("gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model",
					"gen_ai.response.model");
		assertThat(this.monitors.meterRegistry.get(GenAiSemconvMetricsObservationHandler.OPERATION_DURATION)
			.tags(attributes)
			.summary()
			.totalAmount()).isCloseTo(0.2, within(1e-9));
		assertThat(boundaries(duration)).containsExactly(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
				10.24, 20.48, 40.96, 81.92);

		DistributionSummary input = this.monitors.meterRegistry.get(GenAiSemconvMetricsObservationHandler.TOKEN_USAGE)
			.tags(attributes)
			.tag("gen_ai.token.type", "input")
			.summary();
		assertThat(input.getId().getBaseUnit()).isEqualTo("{token}");
		assertThat(input.totalAmount()).isEqualTo(12);
		assertThat(boundaries(input)).containsExactly(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0,
				262144.0, 1048576.0, 4194304.0, 16777216.0, 67108864.0);
		assertThat(this.monitors.meterRegistry.get(GenAiSemconvMetricsObservationHandler.TOKEN_USAGE)
			.tag("gen_ai.token.type", "output")
			.summary()
			.totalAmount()).isEqualTo(5);

		DistributionSummary timeToFirstChunk = summary(GenAiSemconvMetricsObservationHandler.TIME_TO_FIRST_CHUNK);
		assertThat(timeToFirstChunk.getId().getBaseUnit()).isEqualTo("s");
		assertThat(timeToFirstChunk.count()).isEqualTo(1);
		assertThat(timeToFirstChunk.totalAmount()).isCloseTo(0.1, within(1e-9));
		assertThat(boundaries(timeToFirstChunk)).hasSize(14).startsWith(0.01).endsWith(81.92);

		// five content chunks: four gaps of 20 ms, one record each
		DistributionSummary timePerOutputChunk = summary(GenAiSemconvMetricsObservationHandler.TIME_PER_OUTPUT_CHUNK);
		assertThat(timePerOutputChunk.count()).isEqualTo(4);
		assertThat(timePerOutputChunk.totalAmount()).isCloseTo(0.08, within(1e-9));
		assertThat(timePerOutputChunk.max()).isCloseTo(0.02, within(1e-9));
		assertThat(boundaries(timePerOutputChunk)).hasSize(14).startsWith(0.01).endsWith(81.92);
	}

	@Test
	void aStreamJoinedIntoAnExplicitStreamIsOneCallWhoseChunkTimesAreRecordedOncePerChunk() {
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);
		InvocationObserver automatic = new InvocationObserver(this.monitors.observationRegistry,
				new ReactorReturnValueObserver(), List.of());
		LlmCallSpec spec = new LlmCallSpec("gpt-4o", "openai", "chat", true);
		StepVerifier.withVirtualTime(() -> reactive.stream(spec, Flux.defer(() -> {
			try {
				// as Spring AI's or LangChain4j's monitoring does inside the explicit call
				@SuppressWarnings("unchecked")
				Flux<Chunk> inner = (Flux<Chunk>) automatic.observe(Flux.class,
						this.monitors.monitor.automaticStarter(spec), GenAiSemconvMetricsTests::stream);
				return inner;
			}
			catch (Throwable ex) {
				return Flux.error(ex);
			}
		})), () -> this.scheduler, Long.MAX_VALUE).thenAwait(Duration.ofSeconds(1)).expectNextCount(6).verifyComplete();

		assertThat(summary(GenAiSemconvMetricsObservationHandler.OPERATION_DURATION).count()).isEqualTo(1);
		assertThat(summary(GenAiSemconvMetricsObservationHandler.TIME_TO_FIRST_CHUNK).count()).isEqualTo(1);
		// five content chunks: four gaps, one record each, not one per call nor twice
		DistributionSummary timePerOutputChunk = summary(GenAiSemconvMetricsObservationHandler.TIME_PER_OUTPUT_CHUNK);
		assertThat(timePerOutputChunk.count()).isEqualTo(4);
		assertThat(timePerOutputChunk.totalAmount()).isCloseTo(0.08, within(1e-9));
		assertThat(this.monitors.meterRegistry.get(GenAiSemconvMetricsObservationHandler.TOKEN_USAGE)
			.tag("gen_ai.token.type", "output")
			.summary()
			.totalAmount()).isEqualTo(5);
	}

	@Test
	void aFailedCallHasTheErrorTypeAndABlockingCallNoChunkTimes() {
		assertThatIllegalStateException().isThrownBy(() -> this.monitors.monitor
			.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				throw new IllegalStateException("429");
			}));
		this.monitors.monitor.call(LlmCallSpec.chat("", "openai"), () -> Chunk.usage(3, 4));

		assertThat(this.monitors.meterRegistry.get(GenAiSemconvMetricsObservationHandler.OPERATION_DURATION)
			.tag("error.type", "java.lang.IllegalStateException")
			.tag("gen_ai.request.model", "gpt-4o")
			.summary()
			.count()).isEqualTo(1);
		// no model asked for: no gen_ai.request.model, the response names one
		DistributionSummary success = this.monitors.meterRegistry
			.get(GenAiSemconvMetricsObservationHandler.OPERATION_DURATION)
			.tag("gen_ai.response.model", "gpt-4o-2024-08-06")
			.summary();
		assertThat(success.getId().getTags()).extracting("key")
			.containsExactlyInAnyOrder("gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.response.model");
		assertThat(this.monitors.meterRegistry.find(GenAiSemconvMetricsObservationHandler.TIME_TO_FIRST_CHUNK).meters())
			.isEmpty();
		assertThat(this.monitors.meterRegistry.find(GenAiSemconvMetricsObservationHandler.TIME_PER_OUTPUT_CHUNK)
			.meters()).isEmpty();
	}

	@Test
	void aCancelledStreamHasTheErrorTypeCancelled() {
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);
		StepVerifier
			.withVirtualTime(() -> reactive.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), stream()),
					() -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofMillis(130))
			.expectNextCount(2)
			.thenCancel()
			.verify();

		assertThat(this.monitors.meterRegistry.get(GenAiSemconvMetricsObservationHandler.OPERATION_DURATION)
			.tag("error.type", "cancelled")
			.summary()
			.count()).isEqualTo(1);
	}

	private DistributionSummary summary(String name) {
		return this.monitors.meterRegistry.get(name).summary();
	}

	private static double[] boundaries(DistributionSummary summary) {
		return Arrays.stream(summary.takeSnapshot().histogramCounts()).mapToDouble(CountAtBucket::bucket).toArray();
	}

}
