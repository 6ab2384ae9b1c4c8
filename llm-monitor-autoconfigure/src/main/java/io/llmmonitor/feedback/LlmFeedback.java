package io.llmmonitor.feedback;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.docs.LlmMeterNames;
import io.llmmonitor.docs.LlmMeters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.jspecify.annotations.Nullable;

/**
 * Records what users think of answers, tied to the call that gave them:
 *
 * <pre class="code">
 * FeedbackHandle handle = llmMonitor.currentCall().map(CurrentLlmCall::handle).orElseThrow(); // inside the call
 * llmFeedback.record(handle, Feedback.thumbsUp());                                      // later
 * llmFeedback.recordForTrace(traceId, Feedback.score(0.4).withComment("too long"));     // or by trace id
 * </pre>
 *
 * Each feedback is a sample of {@code llm_feedback_score} (0 to 1) by model and provider, tagged
 * as the rated model's calls are (a model its calls count as {@code other} is {@code other}
 * here too: feedback takes no place of the bound), and, with tracing, a span {@code llm feedback} linked to the
 * call's span. Feedback by trace id finds the call's model among the {@link RecentLlmCalls};
 * a trace it does not know is recorded with model {@code unknown}. A failure to record is logged,
 * never thrown; bad input (a score outside [0, 1], a malformed trace id) is an
 * {@link IllegalArgumentException}.
 */
public class LlmFeedback {

	/** Feedback scores, 0 to 1, by model and provider, {@code llm_feedback_score}. */
	public static final String SCORE = LlmMeterNames.FEEDBACK_SCORE;

	private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}");

	private final @Nullable MeterRegistry registry;

	private final @Nullable FeedbackSpans spans;

	private final RecentLlmCalls recentCalls;

	private final LlmMonitor monitor;

	private final Map<Tags, DistributionSummary> scores = new ConcurrentHashMap<>();

	/**
	 * @param registry where scores are recorded; {@code null} for spans only
	 * @param spans makes feedback visible in traces; {@code null} without tracing
	 * @param recentCalls where feedback by trace id finds its call
	 * @param monitor the monitor of the calls rated, whose model and provider tags feedback shares
	 */
	public LlmFeedback(@Nullable MeterRegistry registry, @Nullable FeedbackSpans spans, RecentLlmCalls recentCalls,
			LlmMonitor monitor) {
		this.registry = registry;
		this.spans = spans;
		this.recentCalls = recentCalls;
		this.monitor = monitor;
	}

	/** Records feedback on the call of this handle. */
	public void record(FeedbackHandle call, Feedback feedback) {
		FeedbackHandle rated = call;
		String traceId = call.traceId();
		if (FeedbackHandle.UNKNOWN.equals(call.model()) && traceId != null) {
			// a handle taken before the response named the model: the ended call knows it
			FeedbackHandle ended = this.recentCalls.find(traceId);
			if (ended != null && !FeedbackHandle.UNKNOWN.equals(ended.model())) {
				rated = new FeedbackHandle(traceId, call.spanId(), ended.model(), call.provider());
			}
		}
		recordScore(rated, feedback);
	}

	/**
	 * Records feedback on the last LLM call of a trace.
	 * @param traceId the trace id, 32 (or 16) hexadecimal digits, as the call's response or log
	 * line gave it
	 * @return the call rated: model {@code unknown} and no span id when the trace is not among
	 * the recent calls
	 * @throws IllegalArgumentException when the trace id is malformed
	 */
	public FeedbackHandle recordForTrace(String traceId, Feedback feedback) {
		if (traceId == null || !TRACE_ID.matcher(traceId).matches()) {
			throw new IllegalArgumentException(
					"A trace id is 32 (or 16) hexadecimal digits, not '" + traceId + "'");
		}
		String normalised = traceId.toLowerCase(java.util.Locale.ROOT);
		FeedbackHandle call = this.recentCalls.find(normalised);
		FeedbackHandle rated = (call != null) ? call
				: new FeedbackHandle(normalised, null, FeedbackHandle.UNKNOWN, FeedbackHandle.UNKNOWN);
		recordScore(rated, feedback);
		return rated;
	}

	private void recordScore(FeedbackHandle call, Feedback feedback) {
		if (this.registry != null) {
			try {
				Tags tags = Tags.of("model", this.monitor.modelTag(call.model()), "provider",
						this.monitor.providerTag(call.provider()));
				this.scores.computeIfAbsent(tags, (key) -> DistributionSummary.builder(SCORE)
					.description(LlmMeters.FEEDBACK_SCORE.getDescription())
					.tags(key)
					.register(this.registry)).record(feedback.score());
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("recording feedback on an LLM call", ex);
			}
		}
		if (this.spans != null) {
			try {
				this.spans.record(call, feedback);
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("recording the span of feedback on an LLM call", ex);
			}
		}
	}

}
