package io.llmmonitor.quality;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.call.ContentCapture;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Finish reasons, empty answers, refusals and repetition, recorded as the calls end.
 */
class QualitySignalsTests {

	private static final LlmMonitorSettings CAPTURING = LlmMonitorSettings.builder()
		.slowTokenRateThreshold(0)
		.contentCapture(new ContentCapture(true, 4096, List.of()))
		.build();

	private @Nullable BoundedAnalysisExecutor executor;

	@AfterEach
	void close() {
		if (this.executor != null) {
			this.executor.close();
		}
	}

	private TestMonitors monitors(LlmMonitorSettings settings, boolean analyse) {
		TestMonitors monitors = TestMonitors.onSystemTime(settings, new Chunk.Extractor());
		AnswerAnalyzer analyzer = null;
		if (analyse) {
			this.executor = new BoundedAnalysisExecutor(16, monitors.meterRegistry);
			analyzer = new AnswerAnalyzer(new RefusalDetector(RefusalDetector.DEFAULT_PATTERNS), 3, this.executor);
		}
		monitors.observationRegistry.observationConfig()
			.observationHandler(new LlmQualityObservationHandler(monitors.meterRegistry, analyzer));
		return monitors;
	}

	@Test
	void countsEachCallByItsNormalisedFinishReason() {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS, false);
		LlmCallSpec spec = LlmCallSpec.chat("claude-sonnet-4", "anthropic");
		monitors.monitor.call(spec, () -> new Chunk("cut sho", LlmUsage.of(10, 4096), "max_tokens"));
		monitors.monitor.call(spec, () -> new Chunk("cut again", LlmUsage.of(10, 4096), "max_tokens"));
		monitors.monitor.call(spec, () -> new Chunk("done", LlmUsage.of(10, 1), "end_turn"));
		monitors.monitor.call(spec, () -> new Chunk(null, LlmUsage.of(10, 12), "tool_use"));
		monitors.monitor.call(spec, () -> new Chunk("", LlmUsage.of(10, 0), "refusal"));
		monitors.monitor.call(spec, () -> new Chunk("hm", LlmUsage.of(10, 1), "pause_turn"));
		monitors.monitor.call(spec, () -> "no finish reason");

		assertThat(finishReasons(monitors, "length")).isEqualTo(2);
		assertThat(finishReasons(monitors, "stop")).isEqualTo(1);
		assertThat(finishReasons(monitors, "tool_calls")).isEqualTo(1);
		assertThat(finishReasons(monitors, "content_filter")).isEqualTo(1);
		assertThat(finishReasons(monitors, "other")).isEqualTo(1);
		assertThat(monitors.meterRegistry.get(LlmQualityObservationHandler.FINISH_REASONS).counters()).hasSize(5)
			.allSatisfy((counter) -> assertThat(counter.getId().getTags()).extracting("key")
				.containsExactlyInAnyOrder("model", "provider", "operation", "finish_reason"));
	}

	@Test
	void aStreamIsCountedOnceByItsLastReasonAndChunksWithoutAReasonOfTheirOwnAreNotOne() {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS, false);
		LlmCallSpec spec = new LlmCallSpec("claude-sonnet-4", "anthropic", "chat", true);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		// Gemini marks every chunk before the last FINISH_REASON_UNSPECIFIED, an extractor may say ""
		reactive.stream(spec, Flux.just(new Chunk("Hel", null, "FINISH_REASON_UNSPECIFIED"), new Chunk("lo", null, " "),
				new Chunk("", LlmUsage.of(10, 2), "STOP"))).blockLast();
		// a tool loop in one call: the model asked for a tool, then answered
		reactive.stream(spec, Flux.just(new Chunk(null, null, "tool_use"), new Chunk("Sunny", LlmUsage.of(10, 3),
				"end_turn"))).blockLast();

		assertThat(finishReasons(monitors, "stop")).isEqualTo(2);
		assertThat(monitors.meterRegistry.get(LlmQualityObservationHandler.FINISH_REASONS).counters())
			.as("one count per call").hasSize(1);
	}

	@Test
	void aToolCallWithoutTextOrUsageIsNotEmpty() {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS, false);
		LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");
		// a tool call streamed without include_usage, or a provider that reports no usage
		monitors.monitor.call(spec, () -> new Chunk(null, null, "tool_calls"));
		new ReactiveLlmMonitor(monitors.monitor)
			.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), Flux.just(new Chunk(null, null, null),
					new Chunk(null, null, "tool_calls")))
			.blockLast();

		assertThat(monitors.meterRegistry.find(LlmQualityObservationHandler.EMPTY_RESPONSES).counter()).isNull();
	}

	@Test
	void aSuccessfulCallWithoutTextOrOutputTokensIsEmpty() {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS, false);
		LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");
		monitors.monitor.call(spec, () -> "");
		monitors.monitor.call(spec, () -> new Chunk("", LlmUsage.of(10, 0), "stop"));
		// not empty: text, tool calls (output tokens without text), a result no extractor reads, a failure
		monitors.monitor.call(spec, () -> "answer");
		monitors.monitor.call(spec, () -> new Chunk(null, LlmUsage.of(10, 12), "tool_calls"));
		monitors.monitor.call(new LlmCallSpec("text-embedding-3-small", "openai", "embeddings", false), () -> new float[] { 1 });
		assertThatIllegalStateException().isThrownBy(() -> monitors.monitor.call(spec, () -> {
			throw new IllegalStateException("boom");
		}));

		Counter empty = monitors.meterRegistry.get(LlmQualityObservationHandler.EMPTY_RESPONSES).counter();
		assertThat(empty.count()).isEqualTo(2);
		assertThat(empty.getId().getTag("model")).isEqualTo("gpt-4o");
		assertThat(empty.getId().getTag("operation")).isEqualTo("chat");
	}

	@Test
	void anEmptyStreamIsEmpty() {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS, false);
		new ReactiveLlmMonitor(monitors.monitor)
			.stream(LlmCallSpec.chat("gpt-4o", "openai"),
					Flux.just(Chunk.text(""), Chunk.text(""), new Chunk(null, LlmUsage.of(10, 0), "stop")))
			.blockLast();
		assertThat(monitors.meterRegistry.get(LlmQualityObservationHandler.EMPTY_RESPONSES).counter().count())
			.isEqualTo(1);
	}

	@Test
	void capturedAnswersAreAnalysedForRefusalsAndRepetitionOffTheCallingThread() throws InterruptedException {
		TestMonitors monitors = monitors(CAPTURING, true);
		LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");
		monitors.monitor.call(spec, () -> "I'm sorry, but I can't help with that.");
		monitors.monitor.call(spec, () -> "Paris is the capital of France.");
		monitors.monitor.call(spec, () -> "I will try. ".repeat(50));
		drain();

		assertThat(monitors.meterRegistry.get(LlmQualityObservationHandler.REFUSALS).counter().count()).isEqualTo(1);
		DistributionSummary repetition = monitors.meterRegistry.get(LlmQualityObservationHandler.REPETITION_RATIO)
			.summary();
		assertThat(repetition.count()).isEqualTo(3);
		assertThat(repetition.max()).isGreaterThan(0.9);
		assertThat(repetition.takeSnapshot().histogramCounts()).extracting(CountAtBucket::bucket)
			.containsExactly(0.1, 0.2, 0.3, 0.5, 0.7, 0.9);
		assertThat(repetition.takeSnapshot().histogramCounts()[0].count()).isEqualTo(2);
	}

	@Test
	void withoutCapturedTextNothingIsAnalysed() throws InterruptedException {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS, true);
		monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "I can't help with that.");
		drain();
		assertThat(monitors.meterRegistry.find(LlmQualityObservationHandler.REFUSALS).counter()).isNull();
		assertThat(monitors.meterRegistry.find(LlmQualityObservationHandler.REPETITION_RATIO).summary()).isNull();
	}

	@Test
	void theAnalysisReadsNoMoreThanTheCapturedLength() throws InterruptedException {
		LlmMonitorSettings capturingTen = LlmMonitorSettings.builder()
			.slowTokenRateThreshold(0)
			.contentCapture(new ContentCapture(true, 10, List.of()))
			.build();
		TestMonitors monitors = monitors(capturingTen, true);
		monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "Sure thing. As an AI, I must decline.");
		drain();
		assertThat(monitors.onlyCall().getOutputText()).isEqualTo("Sure thing…");
		assertThat(monitors.meterRegistry.find(LlmQualityObservationHandler.REFUSALS).counter()).isNull();
		assertThat(monitors.meterRegistry.get(LlmQualityObservationHandler.REPETITION_RATIO).summary().count())
			.isEqualTo(1);
	}

	private static double finishReasons(TestMonitors monitors, String reason) {
		return monitors.meterRegistry.get(LlmQualityObservationHandler.FINISH_REASONS)
			.tag("finish_reason", reason)
			.tag("model", "claude-sonnet-4")
			.tag("provider", "anthropic")
			.tag("operation", "chat")
			.counter()
			.count();
	}

	/** Waits until the analyses queued so far ran: the executor runs them in order on one thread. */
	private void drain() throws InterruptedException {
		CountDownLatch drained = new CountDownLatch(1);
		assertThat(this.executor.submit(drained::countDown)).isTrue();
		assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
	}

}
