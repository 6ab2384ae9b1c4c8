package io.llmmonitor.quality;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.llmmonitor.docs.LlmMeterNames;
import io.llmmonitor.docs.LlmMeters;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

/**
 * Records cheap signals of answer quality when an LLM call ends, tagged by its bounded
 * {@code model}, {@code provider} and {@code operation}: its finish reasons, normalised
 * ({@link FinishReason}); whether a successful answer was empty; and, with an
 * {@link AnswerAnalyzer} (opt-in, needs the captured completion), refusals and the repetition
 * score, computed off the call's thread. No answer text ever becomes a tag.
 */
public class LlmQualityObservationHandler implements ObservationHandler<LlmCallContext> {

	/** Calls by normalised finish reason, {@code llm_finish_reasons_total{finish_reason}}. */
	public static final String FINISH_REASONS = LlmMeterNames.FINISH_REASONS;

	/** Successful calls that returned no text, no output token and no tool call, {@code llm_empty_responses_total}. */
	public static final String EMPTY_RESPONSES = LlmMeterNames.EMPTY_RESPONSES;

	/** Analysed answers that the refusal heuristic matched, {@code llm_refusals_total}. */
	public static final String REFUSALS = LlmMeterNames.REFUSALS;

	/**
	 * Share of repeated word n-grams of each analysed answer, {@code llm_response_repetition_ratio};
	 * its count is the number of analysed answers.
	 */
	public static final String REPETITION_RATIO = LlmMeterNames.REPETITION_RATIO;

	/** Bucket boundaries of the repetition ratio. */
	static final double[] REPETITION_BUCKETS = { 0.1, 0.2, 0.3, 0.5, 0.7, 0.9 };

	private final MeterRegistry registry;

	private final @Nullable AnswerAnalyzer analyzer;

	private final Map<Tags, QualityMeters> meters = new ConcurrentHashMap<>();

	/**
	 * @param registry where the signals are recorded
	 * @param analyzer reads captured answers for refusals and repetition; {@code null} for none
	 */
	public LlmQualityObservationHandler(MeterRegistry registry, @Nullable AnswerAnalyzer analyzer) {
		this.registry = registry;
		this.analyzer = analyzer;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStop(LlmCallContext context) {
		QualityMeters meters = null;
		FinishReason reason = finishReason(context);
		if (reason != null) {
			meters = metersOf(context);
			meters.finishReason(reason).increment();
		}
		if (context.getStatus() != CallStatus.SUCCESS) {
			return;
		}
		if (reason != FinishReason.TOOL_CALLS && isEmpty(context)) {
			((meters != null) ? meters : metersOf(context)).emptyResponses().increment();
			return;
		}
		String answer = context.getOutputText();
		if (this.analyzer != null && answer != null && !answer.isBlank()) {
			QualityMeters analysed = (meters != null) ? meters : metersOf(context);
			this.analyzer.analyzeLater(answer, (analysis) -> {
				if (analysis.refusal()) {
					analysed.refusals().increment();
				}
				analysed.repetitionRatio().record(analysis.repetitionRatio());
			});
		}
	}

	/**
	 * Why the call stopped: the last reason reported, so that each call counts once (a tool loop
	 * joined into one call reports {@code tool_calls}, then {@code stop}); chunks that name no
	 * reason ({@code FINISH_REASON_UNSPECIFIED}, blank) are not one.
	 */
	private static @Nullable FinishReason finishReason(LlmCallContext context) {
		FinishReason last = null;
		for (String reported : context.getFinishReasons()) {
			FinishReason reason = FinishReason.ofReported(reported);
			last = (reason != null) ? reason : last;
		}
		return last;
	}

	/** A response was read, and it held no content and no output token. */
	private static boolean isEmpty(LlmCallContext context) {
		Long outputTokens = context.getOutputTokens();
		return context.isResponseRead() && context.getContentChunks() == 0
				&& (outputTokens == null || outputTokens == 0);
	}

	private QualityMeters metersOf(LlmCallContext context) {
		Tags tags = Tags.of("model", context.getModelTag(), "provider", context.getProviderTag(), "operation",
				context.getOperationTag());
		return this.meters.computeIfAbsent(tags, (key) -> new QualityMeters(this.registry, key));
	}

	/** The meters of one model, provider and operation, each registered on first use. */
	private static final class QualityMeters {

		private final MeterRegistry registry;

		private final Tags tags;

		private final Map<FinishReason, Counter> finishReasons = new EnumMap<>(FinishReason.class);

		private volatile @Nullable Counter emptyResponses;

		private volatile @Nullable Counter refusals;

		private volatile @Nullable DistributionSummary repetitionRatio;

		QualityMeters(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
		}

		synchronized Counter finishReason(FinishReason reason) {
			return this.finishReasons.computeIfAbsent(reason, (key) -> Counter.builder(FINISH_REASONS)
				.description(LlmMeters.FINISH_REASONS.getDescription())
				.tags(this.tags)
				.tag("finish_reason", key.tagValue())
				.register(this.registry));
		}

		Counter emptyResponses() {
			Counter counter = this.emptyResponses;
			if (counter == null) {
				counter = Counter.builder(EMPTY_RESPONSES)
					.description(LlmMeters.EMPTY_RESPONSES.getDescription())
					.tags(this.tags)
					.register(this.registry);
				this.emptyResponses = counter;
			}
			return counter;
		}

		Counter refusals() {
			Counter counter = this.refusals;
			if (counter == null) {
				counter = Counter.builder(REFUSALS)
					.description(LlmMeters.REFUSALS.getDescription())
					.tags(this.tags)
					.register(this.registry);
				this.refusals = counter;
			}
			return counter;
		}

		DistributionSummary repetitionRatio() {
			DistributionSummary summary = this.repetitionRatio;
			if (summary == null) {
				summary = DistributionSummary.builder(REPETITION_RATIO)
					.description(LlmMeters.REPETITION_RATIO.getDescription())
					.serviceLevelObjectives(REPETITION_BUCKETS)
					.tags(this.tags)
					.register(this.registry);
				this.repetitionRatio = summary;
			}
			return summary;
		}

	}

}
