package io.llmmonitor.reactive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.cost.ModelPrice;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Reasoning and cached tokens: counted by type, priced, on the span, and the token rate and time
 * per output token computed over the tokens that arrived in the timing window only.
 */
class ReasoningAndCachedTokensTests {

	private static final LlmCallSpec SPEC = new LlmCallSpec("o4-mini", "openai", "chat", true);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	@AfterEach
	void resetVirtualTime() {
		VirtualTimeScheduler.reset();
	}

	/** A chunk of a reasoning model: visible text, streamed reasoning text, usage. */
	record ReasoningChunk(@Nullable String text, @Nullable String reasoning, @Nullable LlmUsage usage) {

		static ReasoningChunk text(String text) {
			return new ReasoningChunk(text, null, null);
		}

		static ReasoningChunk reasoning(String reasoning) {
			return new ReasoningChunk(null, reasoning, null);
		}

		static ReasoningChunk usage(LlmUsage usage) {
			return new ReasoningChunk(null, null, usage);
		}

	}

	static final class ReasoningChunkExtractor implements LlmResponseExtractor<ReasoningChunk> {

		@Override
		public Class<ReasoningChunk> responseType() {
			return ReasoningChunk.class;
		}

		@Override
		public @Nullable CharSequence content(ReasoningChunk chunk) {
			return chunk.text();
		}

		@Override
		public @Nullable CharSequence reasoningContent(ReasoningChunk chunk) {
			return chunk.reasoning();
		}

		@Override
		public @Nullable LlmUsage usage(ReasoningChunk chunk) {
			return chunk.usage();
		}

		@Override
		public @Nullable String finishReason(ReasoningChunk chunk) {
			return (chunk.usage() != null) ? "stop" : null;
		}

	}

	/** 2,000 reasoning tokens the provider only reports, then 100 visible tokens 20 ms apart. */
	private static final LlmUsage HIDDEN_REASONING_USAGE = new LlmUsage(500L, 2_100L).withReasoningTokens(2_000L)
		.withCachedInputTokens(400L);

	private static Flux<ReasoningChunk> hiddenReasoningStream() {
		return Mono.delay(Duration.ofSeconds(3))
			.thenReturn(ReasoningChunk.text(" the"))
			.concatWith(Flux.interval(Duration.ofMillis(20)).take(99).map((tick) -> ReasoningChunk.text(" the")))
			.concatWith(Mono.just(ReasoningChunk.usage(HIDDEN_REASONING_USAGE)));
	}

	@Test
	void hiddenReasoningTokensAreCountedButNotTimedAsTokensThatArrived() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new ReasoningChunkExtractor());

		streamToCompletion(monitors, ReasoningAndCachedTokensTests::hiddenReasoningStream, 101);

		// 100 visible tokens over 1.98 s: 50 tokens/s, 20 ms a token (not 2,099 / 1.98 s = 1,060 tokens/s)
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().max())
			.isCloseTo(50.0, within(1e-9));
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN)
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(20.0, within(1e-6));
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_000.0);
		assertThat(tokens(monitors, "input")).isEqualTo(500.0);
		assertThat(tokens(monitors, "output")).isEqualTo(2_100.0);
		assertThat(tokens(monitors, "reasoning")).isEqualTo(2_000.0);
		assertThat(tokens(monitors, "cached_input")).isEqualTo(400.0);
		LlmCallContext context = monitors.onlyCall();
		assertThat(context.getTimedOutputTokens()).isEqualTo(100);
		assertThat(context.getSlowReasons()).isEmpty();
		TestObservationRegistryAssert.assertThat(monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "500")
			.hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "2100")
			.hasHighCardinalityKeyValue("gen_ai.usage.reasoning.output_tokens", "2000")
			.hasHighCardinalityKeyValue("gen_ai.usage.cache_read.input_tokens", "400")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.usage.cache_creation.input_tokens");
	}

	@Test
	void streamedReasoningIsContentThatArrived() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new ReasoningChunkExtractor());
		// DeepSeek-style: 50 reasoning chunks, then 50 text chunks, all 20 ms apart, first at 300 ms
		Supplier<Flux<ReasoningChunk>> stream = () -> Mono.delay(Duration.ofMillis(300))
			.thenReturn(ReasoningChunk.reasoning(" think"))
			.concatWith(Flux.interval(Duration.ofMillis(20))
				.take(99)
				.map((tick) -> (tick < 49) ? ReasoningChunk.reasoning(" think") : ReasoningChunk.text(" the")))
			.concatWith(Mono.just(ReasoningChunk.usage(new LlmUsage(10L, 100L).withReasoningTokens(50L))));

		streamToCompletion(monitors, stream, 101);

		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300.0);
		// 100 tokens, reasoning included, over 1.98 s
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().max())
			.isCloseTo(50.0, within(1e-9));
		assertThat(tokens(monitors, "output")).isEqualTo(100.0);
		assertThat(tokens(monitors, "reasoning")).isEqualTo(50.0);
		assertThat(monitors.onlyCall().getTimedOutputTokens()).isEqualTo(100);
	}

	@Test
	void streamedReasoningWithoutUsageIsCountedByTheTokenizer() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new ReasoningChunkExtractor());

		streamToCompletion(monitors, () -> Flux.just(ReasoningChunk.reasoning(" think think"),
				ReasoningChunk.text(" the answer")), 2);

		assertThat(tokens(monitors, "output")).isEqualTo(4.0);
		assertThat(find(monitors, "reasoning")).isNull();
	}

	@Test
	void callsThatReportNoReasoningOrCacheHaveNoSuchSeries() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new ReasoningChunkExtractor());

		streamToCompletion(monitors,
				() -> Flux.just(ReasoningChunk.text(" the"), ReasoningChunk.usage(LlmUsage.of(7, 41))), 2);

		assertThat(find(monitors, "output")).isNotNull();
		assertThat(find(monitors, "reasoning")).isNull();
		assertThat(find(monitors, "cached_input")).isNull();
		TestObservationRegistryAssert.assertThat(monitors.observationRegistry)
			.hasSingleObservationThat()
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.usage.reasoning.output_tokens")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.usage.cache_read.input_tokens");
	}

	@Test
	void cachedInputTokensCostTheCachedInputPriceAndReasoningTokensTheOutputPrice() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.prices(LlmPriceTable.of(Map.of("o4-mini", new ModelPrice(1.10, 4.40, 0.275))))
			.build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings, new ReasoningChunkExtractor());

		streamToCompletion(monitors, ReasoningAndCachedTokensTests::hiddenReasoningStream, 101);

		// 100 uncached input tokens at 1.10, 400 cached at 0.275, 2,100 output (2,000 reasoning) at 4.40
		assertThat(cost(monitors, "input")).isCloseTo(100 * 1.10 / 1e6, within(1e-15));
		assertThat(cost(monitors, "cached_input")).isCloseTo(400 * 0.275 / 1e6, within(1e-15));
		assertThat(cost(monitors, "output")).isCloseTo(2_100 * 4.40 / 1e6, within(1e-15));
		assertThat(monitors.onlyCall().getCost().totalUsd()).isCloseTo((110 + 110 + 9_240) / 1e6, within(1e-15));
	}

	@Test
	void withoutACachedInputPriceCachedTokensCostTheInputPrice() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.prices(LlmPriceTable.of(Map.of("o4-mini", new ModelPrice(1.10, 4.40))))
			.build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings, new ReasoningChunkExtractor());

		streamToCompletion(monitors, ReasoningAndCachedTokensTests::hiddenReasoningStream, 101);

		assertThat(cost(monitors, "input")).isCloseTo(500 * 1.10 / 1e6, within(1e-15));
		assertThat(monitors.meterRegistry.find(LlmMetricsObservationHandler.COST).tag("type", "cached_input").counter())
			.isNull();
	}

	private void streamToCompletion(TestMonitors monitors, Supplier<Flux<ReasoningChunk>> source, int count) {
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		StepVerifier.withVirtualTime(() -> reactive.stream(SPEC, source.get()), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(10))
			.expectNextCount(count)
			.verifyComplete();
	}

	private static double tokens(TestMonitors monitors, String type) {
		return monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS).tag("type", type).counter().count();
	}

	private static io.micrometer.core.instrument.@Nullable Counter find(TestMonitors monitors, String type) {
		return Search.in(monitors.meterRegistry).name(LlmMetricsObservationHandler.TOKENS).tag("type", type).counter();
	}

	private static double cost(TestMonitors monitors, String type) {
		return monitors.meterRegistry.get(LlmMetricsObservationHandler.COST).tag("type", type).counter().count();
	}

}
