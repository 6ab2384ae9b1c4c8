package io.llmmonitor.reactive;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of concurrent streams, a third completing (with provider usage), a third failing and
 * a third cancelled by their subscriber: every call is counted once, every token exactly, and the
 * active gauge returns to zero.
 */
class ConcurrentStreamsTests {

	private static final int STREAMS = 300;

	private static final LlmCallSpec SPEC = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	@RepeatedTest(3)
	void countsEveryCallOnceAndEveryTokenExactly() {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		AtomicLong expectedOutputTokens = new AtomicLong();

		Flux.range(0, STREAMS).flatMap((i) -> {
			int tokens = 5 + (i % 17);
			Flux<Chunk> content = Flux.range(0, tokens).map((t) -> Chunk.text(" the")).delayElements(Duration.ofMillis(1));
			Flux<Chunk> stream = switch (i % 3) {
				case 0 -> {
					expectedOutputTokens.addAndGet(tokens);
					yield reactive.stream(SPEC, content.concatWith(Mono.just(Chunk.usage(5, tokens))));
				}
				case 1 -> {
					expectedOutputTokens.addAndGet(tokens);
					yield reactive.stream(SPEC, content.concatWith(Mono.error(new IllegalStateException("reset"))));
				}
				default -> {
					expectedOutputTokens.addAndGet(3);
					yield reactive.stream(SPEC, content).take(3);
				}
			};
			return stream.subscribeOn(Schedulers.parallel()).onErrorResume((ex) -> Mono.empty());
		}, STREAMS).blockLast(Duration.ofSeconds(60));

		assertThat(monitors.stoppedCalls).hasSize(STREAMS);
		assertThat(count(monitors, "success")).isEqualTo(STREAMS / 3);
		assertThat(count(monitors, "error")).isEqualTo(STREAMS / 3);
		assertThat(count(monitors, "cancelled")).isEqualTo(STREAMS / 3);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter()
			.count()).isEqualTo(expectedOutputTokens.get());
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS).tag("type", "input").counter()
			.count()).isEqualTo(5.0 * STREAMS / 3);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
			.isEqualTo(STREAMS);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
	}

	private static ConditionFactory soon() {
		return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
	}

	private static long count(TestMonitors monitors, String status) {
		return monitors.meterRegistry.get("llm.request.duration").tag("status", status).timers().stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

	/**
	 * A cancel from another thread while chunks flow: the lock-free path that counts plain content
	 * chunks must neither lose a chunk delivered before the cancel nor count one it never saw.
	 */
	@Test
	void cancelFromAnotherThreadRacingChunksCountsWhatWasDelivered() {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		// one stream with usage first: streams of this type then count chunks without keeping text
		reactive.stream(SPEC, Flux.just(Chunk.text(" a"), Chunk.usage(1, 1))).blockLast(Duration.ofSeconds(5));
		Chunk chunk = Chunk.text(" the");
		int races = 200;
		for (int i = 1; i <= races; i++) {
			AtomicLong received = new AtomicLong();
			BaseSubscriber<Chunk> subscriber = new BaseSubscriber<>() {
				@Override
				protected void hookOnNext(Chunk value) {
					received.incrementAndGet();
				}
			};
			reactive.stream(SPEC, Flux.<Chunk>generate((sink) -> sink.next(chunk)))
				.subscribeOn(Schedulers.parallel())
				.subscribe(subscriber);
			long cancelAfter = ThreadLocalRandom.current().nextLong(1, 2_000);
			soon().until(() -> received.get() >= cancelAfter);
			long receivedAtCancel = received.get();
			subscriber.dispose();
			int call = i;
			soon().until(() -> monitors.stoppedCalls.size() == call + 1);
			LlmCallContext context = monitors.stoppedCalls.get(call);
			assertThat(context.getStatus()).isEqualTo(CallStatus.CANCELLED);
			assertThat(context.getOutputTokensSource()).isEqualTo(TokenCountSource.CHUNKS);
			assertThat(context.getOutputTokens()).isBetween(receivedAtCancel, received.get() + 1);
		}
		assertThat(monitors.stoppedCalls).hasSize(races + 1);
		assertThat(monitors.meterRegistry.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
	}

}
