package io.llmmonitor.reactive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.cost.ModelPrice;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallEvent;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The streaming operator under Reactor's virtual time: every figure to the millisecond.
 */
@ExtendWith(OutputCaptureExtension.class)
class StreamMonitoringTests {

	private static final LlmCallSpec SPEC = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	@AfterEach
	void resetVirtualTime() {
		VirtualTimeScheduler.reset();
	}

	/** First token after 100 ms, then one every 20 ms: {@code count} tokens in all. */
	private static Flux<String> tokens(int count) {
		return Mono.delay(Duration.ofMillis(100))
			.thenReturn(" the")
			.concatWith(Flux.interval(Duration.ofMillis(20)).take(count - 1).map((tick) -> " the"));
	}

	@Test
	void measuresTimeToFirstTokenTimePerTokenAndTokenRateExactly() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> tokens(10), 10);

		Timer ttft = monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
			.tags("model", "gpt-4o", "provider", "openai")
			.timer();
		// the per-token distributions leave out the operation (the scrape's size: docs/benchmarks.md)
		assertThat(ttft.getId().getTag("operation")).isNull();
		assertThat(ttft.count()).isEqualTo(1);
		assertThat(ttft.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100.0);
		// 10 tokens: first at 100 ms, last at 280 ms -> 9 gaps over 180 ms
		Timer timePerToken = monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN).timer();
		assertThat(timePerToken.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().max())
			.isCloseTo(50.0, within(1e-9));
		Timer duration = monitors.meterRegistry.get("llm.request.duration").tag("status", "success").timer();
		assertThat(duration.count()).isEqualTo(1);
		assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(280.0);
		assertThat(duration.getId().getTags()).extracting("key")
			.containsExactlyInAnyOrder("model", "provider", "operation", "status", "error_type");
		assertThat(outputTokens(monitors)).isEqualTo(10.0);
		assertThat(activeRequests(monitors)).isZero();

		TestObservationRegistryAssert.assertThat(monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasNameEqualTo("llm.request.duration")
			.hasContextualNameEqualTo("chat gpt-4o")
			.hasLowCardinalityKeyValue("status", "success")
			.hasLowCardinalityKeyValue("error_type", "none")
			.hasHighCardinalityKeyValue("gen_ai.response.time_to_first_chunk", "0.100000")
			.hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "10")
			.hasHighCardinalityKeyValue("llm.usage.output_tokens.source", "tokenizer")
			.hasHighCardinalityKeyValue("gen_ai.request.stream", "true")
			.hasBeenStopped();
	}

	@Test
	void activeGaugeCountsTheStreamWhileItRuns() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		StepVerifier.withVirtualTime(() -> reactive.stream(SPEC, tokens(3)), () -> this.scheduler, Long.MAX_VALUE)
			.expectSubscription()
			.then(() -> assertThat(activeRequests(monitors)).isEqualTo(1.0))
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(3)
			.verifyComplete();

		assertThat(activeRequests(monitors)).isZero();
	}

	@Test
	void cancelEndsTheCallOnceAsCancelledAndCountsTheTokensReceived() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		StepVerifier.withVirtualTime(() -> reactive.stream(SPEC, tokens(10)), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofMillis(140))
			.expectNextCount(3)
			.thenCancel()
			.verify();

		assertThat(monitors.meterRegistry.get("llm.request.duration").timers()).singleElement()
			.satisfies((timer) -> {
				assertThat(timer.getId().getTag("status")).isEqualTo("cancelled");
				assertThat(timer.getId().getTag("error_type")).isEqualTo("none");
				assertThat(timer.count()).isEqualTo(1);
				assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(140.0);
			});
		assertThat(outputTokens(monitors)).isEqualTo(3.0);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN).timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20.0);
		assertThat(activeRequests(monitors)).isZero();
	}

	@Test
	void errorEndsTheCallOnceWithItsTypeAndCountsTheTokensReceived() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		Supplier<Flux<String>> failing = () -> tokens(2)
			.concatWith(Mono.error(new IllegalStateException("provider closed the stream")));

		StepVerifier.withVirtualTime(() -> reactive.stream(SPEC, failing.get()), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(2)
			.verifyError(IllegalStateException.class);

		assertThat(monitors.meterRegistry.get("llm.request.duration").timers()).singleElement().satisfies((timer) -> {
			assertThat(timer.getId().getTag("status")).isEqualTo("error");
			assertThat(timer.getId().getTag("error_type")).isEqualTo("IllegalStateException");
			assertThat(timer.count()).isEqualTo(1);
		});
		assertThat(outputTokens(monitors)).isEqualTo(2.0);
		assertThat(activeRequests(monitors)).isZero();
		TestObservationRegistryAssert.assertThat(monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasHighCardinalityKeyValue("error.type", "java.lang.IllegalStateException")
			.assertThatError()
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void downstreamTakeCancelsUpstreamAndTheCallIsCountedOnce() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		StepVerifier
			.withVirtualTime(() -> reactive.stream(SPEC, tokens(10)).take(2), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(2)
			.verifyComplete();

		assertThat(monitors.meterRegistry.get("llm.request.duration").timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.count()).isEqualTo(1));
		assertThat(monitors.stoppedCalls).hasSize(1);
		assertThat(activeRequests(monitors)).isZero();
	}

	@Test
	void providerUsageOnTheLastChunkWinsOverCounting() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		// a role chunk without content, 5 content chunks 10 ms apart, then the usage chunk
		Supplier<Flux<Chunk>> chunks = () -> Flux.concat(Mono.just(new Chunk("", null, null)),
				Mono.delay(Duration.ofMillis(50)).thenReturn(Chunk.text("Hello")),
				Flux.interval(Duration.ofMillis(10)).take(4).map((tick) -> Chunk.text(" word")),
				Mono.delay(Duration.ofMillis(10)).thenReturn(Chunk.usage(7, 41)));

		StepVerifier.withVirtualTime(() -> reactive.stream(SPEC, chunks.get()), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(7)
			.verifyComplete();

		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50.0);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter()
			.count()).isEqualTo(41.0);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS).tag("type", "input").counter()
			.count()).isEqualTo(7.0);
		// 41 tokens between the first (50 ms) and last content chunk (90 ms): 40 gaps over 40 ms
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN).timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1.0);
		LlmCallContext context = monitors.onlyCall();
		assertThat(context.getOutputTokensSource()).isEqualTo(TokenCountSource.PROVIDER);
		assertThat(context.getResponseModel()).isEqualTo("gpt-4o-2024-08-06");
		assertThat(context.getFinishReasons()).containsExactly("stop");
		assertThat(context.getEvents()).extracting(LlmCallEvent::name).containsExactly(LlmCallEvent.FIRST_TOKEN);
		assertThat(context.getEvents().get(0).monotonicNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
	}

	@Test
	void aPricedModelsCostIsCountedByTokenTypeAndPutOnTheSpan() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.prices(LlmPriceTable.of(Map.of("gpt-4o", new ModelPrice(2.50, 10.00))))
			.build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings, new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		// usage 7 in, 41 out; the response names the snapshot gpt-4o-2024-08-06
		streamToCompletion(reactive, () -> Flux.just(Chunk.text("Hello"), Chunk.usage(7, 41)), 2);

		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.COST).tag("type", "input").counter().count())
			.isCloseTo(7 * 2.50 / 1e6, within(1e-15));
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.COST).tag("type", "output").counter().count())
			.isCloseTo(41 * 10.00 / 1e6, within(1e-15));
		TestObservationRegistryAssert.assertThat(monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasHighCardinalityKeyValue("llm.cost.usd", "0.000428");
	}

	@Test
	void anUnpricedModelHasNoCostMeters() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.prices(LlmPriceTable.of(Map.of("claude-3-5-sonnet", new ModelPrice(3, 15))))
			.build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings, new Chunk.Extractor());

		streamToCompletion(new ReactiveLlmMonitor(monitors.monitor),
				() -> Flux.just(Chunk.text("Hello"), Chunk.usage(7, 41)), 2);

		assertThat(monitors.onlyCall().getCost()).isNull();
		assertThat(monitors.meterRegistry.find(LlmMetricsObservationHandler.COST).counters()).isEmpty();
		assertThat(outputTokens(monitors)).isEqualTo(41.0);
	}

	@Test
	void onceATypeReportedUsageItsTextIsNotKeptAndACancelledStreamCountsItsChunks() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		// two chunks of two tokens each: the tokenizer counts 4, the chunks are 2
		Flux<Chunk> firstCancelled = Flux.just(Chunk.text(" hello world"), Chunk.text(" good day"));

		reactive.stream(SPEC, firstCancelled.concatWith(Flux.never())).take(2).blockLast();
		reactive.stream(SPEC, Flux.just(Chunk.text(" hi"), Chunk.usage(3, 1))).blockLast();
		reactive.stream(SPEC, firstCancelled.concatWith(Flux.never())).take(2).blockLast();

		assertThat(monitors.stoppedCalls).extracting(LlmCallContext::getOutputTokensSource)
			.containsExactly(TokenCountSource.TOKENIZER, TokenCountSource.PROVIDER, TokenCountSource.CHUNKS);
		assertThat(monitors.stoppedCalls).extracting(LlmCallContext::getOutputTokens).containsExactly(4L, 1L, 2L);
	}

	@Test
	void elementsWithoutAnExtractorCountOneTokenEach() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		StepVerifier
			.withVirtualTime(() -> reactive.stream(SPEC, Flux.interval(Duration.ofMillis(25)).take(5)),
					() -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(5)
			.verifyComplete();

		assertThat(outputTokens(monitors)).isEqualTo(5.0);
		LlmCallContext context = monitors.onlyCall();
		assertThat(context.getOutputTokensSource()).isEqualTo(TokenCountSource.CHUNKS);
		assertThat(context.getTimeToFirstToken()).isEqualTo(Duration.ofMillis(25));
	}

	@Test
	void textAfterElementsWithoutAnExtractorIsStillKeptAndCounted() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> Flux.<Object>just(42, " hello", " streaming world"), 3);

		LlmCallContext context = monitors.onlyCall();
		// the text is counted by the tokenizer (" hello", " streaming", " world"), the number as one token
		assertThat(context.getOutputTokensSource()).isEqualTo(TokenCountSource.TOKENIZER);
		assertThat(context.getOutputTokens()).isEqualTo(4L);
	}

	@Test
	void aFailingExtractorLeavesTheStreamUnchanged() {
		AtomicInteger calls = new AtomicInteger();
		LlmResponseExtractor<String> broken = new LlmResponseExtractor<>() {
			@Override
			public Class<String> responseType() {
				return String.class;
			}

			@Override
			public CharSequence content(String response) {
				calls.incrementAndGet();
				throw new IllegalArgumentException("malformed chunk");
			}
		};
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS, broken);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		StepVerifier
			.withVirtualTime(() -> reactive.stream(SPEC, Flux.just("a", "b", "c")), () -> this.scheduler,
					Long.MAX_VALUE)
			.expectNext("a", "b", "c")
			.verifyComplete();

		assertThat(calls).hasValue(3);
		assertThat(monitors.meterRegistry.get("llm.request.duration").tag("status", "success").timer().count())
			.isEqualTo(1);
	}

	@Test
	void slowTokenRateIsDetected() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder().slowTokenRateThreshold(60).build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> tokens(10), 10);

		// 50 tokens/s is below 60
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.SLOW_REQUESTS)
			.tag("reason", "token_rate")
			.counter()
			.count()).isEqualTo(1.0);
		assertThat(monitors.meterRegistry.find(LlmMetricsObservationHandler.SLOW_REQUESTS).tag("reason", "latency")
			.counter()).isNull();
		LlmCallContext context = monitors.onlyCall();
		assertThat(context.getEvents()).extracting(LlmCallEvent::name).contains(LlmCallEvent.SLOW_CALL);
	}

	@Test
	void slowCallIsCountedAndLoggedOnceWithItsReason(CapturedOutput output) {
		LlmMonitorSettings settings = LlmMonitorSettings.builder().slowRequestThreshold(Duration.ofMillis(200)).build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> tokens(10), 10);

		// 280 ms is over 200 ms; 50 tokens/s is above 10
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.SLOW_REQUESTS)
			.tags("reason", "latency", "model", "gpt-4o")
			.counter()
			.count()).isEqualTo(1.0);
		assertThat(monitors.meterRegistry.find(LlmMetricsObservationHandler.SLOW_REQUESTS)
			.tag("reason", "token_rate")
			.counter()).isNull();
		assertThat(output.getOut().lines().filter((line) -> line.contains("Slow LLM call"))).singleElement()
			.asString()
			.contains("WARN", "'chat gpt-4o'", "took 0.280 s (threshold 0.200 s)");
	}

	@Test
	void theSlowCallLineIsWrittenWhileTheCallsObservationIsCurrent() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder().slowRequestThreshold(Duration.ofMillis(200)).build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings);
		List<String> currentAtWarn = new CopyOnWriteArrayList<>();
		Logger logger = (Logger) LoggerFactory.getLogger(LlmMonitor.class);
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
			@Override
			protected void append(ILoggingEvent event) {
				Observation current = monitors.observationRegistry.getCurrentObservation();
				currentAtWarn.add((current != null) ? current.getContext().getContextualName() : "none");
			}
		};
		appender.start();
		logger.addAppender(appender);
		try {
			streamToCompletion(new ReactiveLlmMonitor(monitors.monitor), () -> tokens(10), 10);
		}
		finally {
			logger.detachAppender(appender);
		}
		// the tracing handlers put the call's span in the logging context (trace id in the line)
		assertThat(currentAtWarn).containsExactly("chat gpt-4o");
	}

	@Test
	void fastCallIsNotSlow() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> tokens(10), 10);

		assertThat(monitors.meterRegistry.find(LlmMetricsObservationHandler.SLOW_REQUESTS).counters()).isEmpty();
		assertThat(monitors.onlyCall().getSlowReasons()).isEmpty();
	}

	@Test
	void perTokenEventsAreCappedWhenEnabled() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder().tokenEventsEnabled(true).maxTokenEventsPerCall(4).build();
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, settings);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> tokens(10), 10);

		LlmCallContext context = monitors.onlyCall();
		assertThat(context.getEvents()).extracting(LlmCallEvent::name)
			.containsExactly(LlmCallEvent.FIRST_TOKEN, LlmCallEvent.CONTENT_CHUNK, LlmCallEvent.CONTENT_CHUNK,
					LlmCallEvent.CONTENT_CHUNK, LlmCallEvent.CONTENT_CHUNK);
	}

	@Test
	void perTokenEventsAreOffByDefault() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		streamToCompletion(reactive, () -> tokens(10), 10);

		LlmCallContext context = monitors.onlyCall();
		assertThat(context.getEvents()).extracting(LlmCallEvent::name).containsExactly(LlmCallEvent.FIRST_TOKEN);
	}

	@Test
	void eachSubscriptionIsOneCall() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS);
		Flux<String> stream = new ReactiveLlmMonitor(monitors.monitor).stream(SPEC, Flux.just("a", "b"));

		stream.blockLast();
		stream.blockLast();

		assertThat(monitors.meterRegistry.get("llm.request.duration").timer().count()).isEqualTo(2);
	}

	@Test
	void monoEndsAtItsValueEvenWhenTheSubscriberCancelsRightAfter() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);

		Chunk result = reactive.call(LlmCallSpec.chat("gpt-4o", "openai"), Mono.just(Chunk.usage(12, 30))).block();

		assertThat(result).isNotNull();
		assertThat(monitors.meterRegistry.get("llm.request.duration").timers()).singleElement()
			.satisfies((timer) -> assertThat(timer.getId().getTag("status")).isEqualTo("success"));
		assertThat(outputTokens(monitors)).isEqualTo(30.0);
		assertThat(monitors.meterRegistry.find(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()).isNull();
	}

	/** Runs a monitored stream on virtual time until it completes with {@code count} elements. */
	private void streamToCompletion(ReactiveLlmMonitor reactive, Supplier<Flux<?>> source, int count) {
		StepVerifier.withVirtualTime(() -> reactive.stream(SPEC, source.get()), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(count)
			.verifyComplete();
	}

	private static double outputTokens(TestMonitors monitors) {
		return monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter().count();
	}

	private static double activeRequests(TestMonitors monitors) {
		return monitors.meterRegistry.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value();
	}

}
