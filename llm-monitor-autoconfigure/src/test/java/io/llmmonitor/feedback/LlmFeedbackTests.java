package io.llmmonitor.feedback;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.llmmonitor.call.ContentCapture;
import io.llmmonitor.call.CurrentLlmCall;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.tracing.LlmCallTracingObservationHandler;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
import io.micrometer.tracing.test.simple.SimpleTraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Feedback on LLM calls: by handle and by trace id, as a metric by model and a span linked to the
 * call's span.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmFeedbackTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String CALL_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private final SimpleTracer tracer = new SimpleTracer();

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	private final RecentLlmCalls recentCalls = new RecentLlmCalls(100, Duration.ofHours(1), Clock.SYSTEM);

	private final LlmFeedback feedback = new LlmFeedback(this.monitors.meterRegistry,
			new TracingFeedbackSpans(this.tracer, ContentCapture.DISABLED), this.recentCalls, this.monitors.monitor);

	LlmFeedbackTests() {
		this.monitors.observationRegistry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new LlmCallTracingObservationHandler(this.tracer, Propagator.NOOP),
					new DefaultTracingObservationHandler(this.tracer)))
			.observationHandler(new RecentLlmCallsObservationHandler(this.recentCalls));
	}

	/** Makes a call that takes its handle, and returns the handle. */
	private FeedbackHandle callTakingItsHandle(String model) {
		AtomicReference<FeedbackHandle> handle = new AtomicReference<>();
		this.monitors.monitor.call(LlmCallSpec.chat(model, "openai"), () -> {
			CurrentLlmCall call = this.monitors.monitor.currentCall().orElseThrow();
			// the simple tracer leaves ids empty: give the call's span some
			TracingContext tracing = call.context().getRequired(TracingContext.class);
			SimpleTraceContext ids = (SimpleTraceContext) tracing.getSpan().context();
			ids.setTraceId(CALL_TRACE_ID);
			ids.setSpanId("00f067aa0ba902b7");
			handle.set(call.handle());
			return "answer";
		});
		return handle.get();
	}

	private SimpleSpan callSpan() {
		return this.tracer.getSpans().stream().filter((span) -> span.getName().startsWith("chat ")).findFirst().orElseThrow();
	}

	private SimpleSpan feedbackSpan() {
		return this.tracer.getSpans()
			.stream()
			.filter((span) -> span.getName().equals(TracingFeedbackSpans.SPAN_NAME))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void aHandleCarriesTheCallsTraceAndSpanIdModelAndProvider() {
		FeedbackHandle handle = callTakingItsHandle("gpt-4o");
		SimpleSpan call = callSpan();
		assertThat(handle).isEqualTo(new FeedbackHandle(call.getTraceId(), call.getSpanId(), "gpt-4o", "openai"));
	}

	@Test
	void feedbackByHandleIsAScoreByModelAndASpanLinkedToTheCallsSpan() {
		FeedbackHandle handle = callTakingItsHandle("gpt-4o");
		this.feedback.record(handle, Feedback.thumbsUp());
		this.feedback.record(handle, Feedback.score(0.5).withComment("a bit long"));

		DistributionSummary scores = this.monitors.meterRegistry.get(LlmFeedback.SCORE)
			.tag("model", "gpt-4o")
			.tag("provider", "openai")
			.summary();
		assertThat(scores.count()).isEqualTo(2);
		assertThat(scores.totalAmount()).isEqualTo(1.5);
		SimpleSpan call = callSpan();
		List<SimpleSpan> spans = this.tracer.getSpans()
			.stream()
			.filter((span) -> span.getName().equals(TracingFeedbackSpans.SPAN_NAME))
			.toList();
		assertThat(spans).hasSize(2).allSatisfy((span) -> {
			assertThat(span.getLinks()).singleElement().satisfies((link) -> {
				assertThat(link.getTraceContext().traceId()).isEqualTo(call.getTraceId());
				assertThat(link.getTraceContext().spanId()).isEqualTo(call.getSpanId());
			});
			assertThat(span.getTags()).containsEntry("llm.feedback.trace_id", call.getTraceId())
				.containsEntry("gen_ai.request.model", "gpt-4o");
		});
		assertThat(spans.get(0).getTags()).containsEntry("llm.feedback.score", "1.0")
			.doesNotContainKey("llm.feedback.comment.length");
		assertThat(spans.get(1).getTags()).containsEntry("llm.feedback.score", "0.5")
			.containsEntry("llm.feedback.comment.length", "10")
			.doesNotContainKey("llm.feedback.comment");
	}

	@Test
	void theCommentReachesTheSpanOnlyWithContentCaptureRedacted() {
		LlmFeedback capturing = new LlmFeedback(null,
				new TracingFeedbackSpans(this.tracer, new ContentCapture(true, 100, List.of())), this.recentCalls,
				this.monitors.monitor);
		capturing.record(callTakingItsHandle("gpt-4o"),
				Feedback.thumbsDown().withComment("it printed my key sk-abcdefghijklmnopqrstuvwxyz"));
		assertThat(feedbackSpan().getTags()).containsEntry("llm.feedback.comment", "it printed my key [REDACTED]");
	}

	@Test
	void feedbackByTraceIdFindsTheCallsModelAndSpan() {
		callTakingItsHandle("gpt-4o-mini");
		SimpleSpan call = callSpan();

		FeedbackHandle rated = this.feedback.recordForTrace(call.getTraceId().toUpperCase(), Feedback.thumbsDown());

		assertThat(rated).isEqualTo(new FeedbackHandle(call.getTraceId(), call.getSpanId(), "gpt-4o-mini", "openai"));
		assertThat(this.monitors.meterRegistry.get(LlmFeedback.SCORE).tag("model", "gpt-4o-mini").summary().count())
			.isEqualTo(1);
		assertThat(feedbackSpan().getLinks()).singleElement()
			.satisfies((link) -> assertThat(link.getTraceContext().spanId()).isEqualTo(call.getSpanId()));
	}

	@Test
	void feedbackForATraceNotRememberedIsRecordedForAnUnknownModelWithoutLink() {
		FeedbackHandle rated = this.feedback.recordForTrace(TRACE_ID, Feedback.score(0.25));
		assertThat(rated).isEqualTo(new FeedbackHandle(TRACE_ID, null, "unknown", "unknown"));
		assertThat(this.monitors.meterRegistry.get(LlmFeedback.SCORE).tag("model", "unknown").summary().totalAmount())
			.isEqualTo(0.25);
		assertThat(feedbackSpan().getLinks()).isEmpty();
		assertThat(feedbackSpan().getTags()).containsEntry("llm.feedback.trace_id", TRACE_ID);
	}

	@Test
	void aHandleTakenBeforeTheModelWasKnownTakesItFromTheEndedCall() {
		FeedbackHandle early = callTakingItsHandle("");
		assertThat(early.model()).isEqualTo("unknown");
		// the ended call learnt its model from the response, and its calls admitted it
		this.monitors.monitor.call(LlmCallSpec.chat("gpt-4o-2024-08-06", "openai"), () -> "answer");
		this.recentCalls.remember(new FeedbackHandle(early.traceId(), early.spanId(), "gpt-4o-2024-08-06", "openai"));
		this.feedback.record(early, Feedback.thumbsUp());
		assertThat(this.monitors.meterRegistry.get(LlmFeedback.SCORE).tag("model", "gpt-4o-2024-08-06").summary()
			.count()).isEqualTo(1);
	}

	@Test
	void feedbackIsTaggedAsTheRatedModelsCallsAreAndTakesNoPlaceOfTheBound() {
		TestMonitors oneModel = TestMonitors.onSystemTime(LlmMonitorSettings.builder().slowTokenRateThreshold(0).maxModels(1).build());
		oneModel.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "first");
		oneModel.monitor.call(LlmCallSpec.chat("gpt-4o-mini", "openai"), () -> "beyond the bound");
		assertThat(oneModel.stoppedCalls).extracting(LlmCallContext::getModelTag).containsExactly("gpt-4o", "other");
		LlmFeedback bounded = new LlmFeedback(oneModel.meterRegistry, null, this.recentCalls, oneModel.monitor);

		// rated first: feedback of its own must not admit it in place of the model the calls admitted
		bounded.record(new FeedbackHandle(null, null, "gpt-4o-mini", "openai"), Feedback.thumbsDown());
		bounded.record(new FeedbackHandle(null, null, "gpt-4o", "openai"), Feedback.thumbsUp());
		for (int i = 0; i < 5; i++) {
			bounded.record(new FeedbackHandle(null, null, "never-called-" + i, "openai"), Feedback.thumbsUp());
		}

		assertThat(oneModel.meterRegistry.get(LlmFeedback.SCORE).tag("model", "gpt-4o").summary().count())
			.isEqualTo(1);
		assertThat(oneModel.meterRegistry.get(LlmFeedback.SCORE).tag("model", "other").summary().count())
			.isEqualTo(6);
		assertThat(oneModel.meterRegistry.get(LlmFeedback.SCORE).summaries()).hasSize(2);
	}

	@Test
	void scoresOutsideZeroToOneAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> Feedback.score(1.5))
			.withMessage("A feedback score is a number from 0 to 1, not 1.5");
		assertThatIllegalArgumentException().isThrownBy(() -> Feedback.score(-0.1));
		assertThatIllegalArgumentException().isThrownBy(() -> Feedback.score(Double.NaN));
		assertThat(Feedback.thumbsUp().score()).isEqualTo(1);
		assertThat(Feedback.thumbsDown().score()).isZero();
	}

	@Test
	void malformedTraceIdsAreRejected() {
		for (String traceId : new String[] { "", "abc", "zz" + TRACE_ID.substring(2), TRACE_ID + "0" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> this.feedback.recordForTrace(traceId, Feedback.thumbsUp()))
				.withMessageContaining("A trace id is 32 (or 16) hexadecimal digits");
		}
		assertThat(this.monitors.meterRegistry.find(LlmFeedback.SCORE).summary()).isNull();
	}

	@Test
	void withoutTracingOnlyTheMetricIsRecorded() {
		LlmFeedback metricsOnly = new LlmFeedback(this.monitors.meterRegistry, null, this.recentCalls,
				this.monitors.monitor);
		metricsOnly.record(callTakingItsHandle("gpt-4o"), Feedback.thumbsUp());
		assertThat(this.monitors.meterRegistry.get(LlmFeedback.SCORE).tag("model", "gpt-4o").summary().count())
			.isEqualTo(1);
		assertThat(this.tracer.getSpans()).extracting(SimpleSpan::getName).doesNotContain(TracingFeedbackSpans.SPAN_NAME);
	}

	@Test
	void aFailingSpanRecorderNeverReachesTheCaller(CapturedOutput output) {
		LlmFeedback failing = new LlmFeedback(this.monitors.meterRegistry, (call, feedback) -> {
			throw new IllegalStateException("tracer down");
		}, this.recentCalls, this.monitors.monitor);
		failing.record(callTakingItsHandle("gpt-4o"), Feedback.thumbsUp());
		assertThat(this.monitors.meterRegistry.get(LlmFeedback.SCORE).tag("model", "gpt-4o").summary().count())
			.isEqualTo(1);
		assertThat(output).contains("failure while recording the span of feedback on an LLM call");
	}

}
