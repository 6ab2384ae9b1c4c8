package io.llmmonitor.docs;

/**
 * The names of the {@code llm_*} meters as compile-time constants, for {@code switch} cases,
 * annotations and {@code ObservationPredicate}s; {@link LlmMeters} documents each (unit, type,
 * description, tags).
 */
public final class LlmMeterNames {

	/** See {@link LlmMeters#REQUEST_DURATION}. */
	public static final String REQUEST_DURATION = "llm.request.duration";

	/** See {@link LlmMeters#REQUEST_DURATION_ACTIVE}. */
	public static final String REQUEST_DURATION_ACTIVE = "llm.request.duration.active";

	/** See {@link LlmMeters#ENDPOINT_DURATION}. */
	public static final String ENDPOINT_DURATION = "llm.endpoint.duration";

	/** See {@link LlmMeters#ENDPOINT_DURATION_ACTIVE}. */
	public static final String ENDPOINT_DURATION_ACTIVE = "llm.endpoint.duration.active";

	/** See {@link LlmMeters#TIME_TO_FIRST_TOKEN}. */
	public static final String TIME_TO_FIRST_TOKEN = "llm.time.to.first.token";

	/** See {@link LlmMeters#TIME_PER_OUTPUT_TOKEN}. */
	public static final String TIME_PER_OUTPUT_TOKEN = "llm.time.per.output.token";

	/** See {@link LlmMeters#TOKEN_GENERATION_RATE}. */
	public static final String TOKEN_GENERATION_RATE = "llm.token.generation.rate";

	/** See {@link LlmMeters#TOKENS}. */
	public static final String TOKENS = "llm.tokens";

	/** See {@link LlmMeters#TOKENS_PER_CALL}. */
	public static final String TOKENS_PER_CALL = "llm.tokens.per.call";

	/** See {@link LlmMeters#COST}. */
	public static final String COST = "llm.cost";

	/** See {@link LlmMeters#ACTIVE_REQUESTS}. */
	public static final String ACTIVE_REQUESTS = "llm.active.requests";

	/** See {@link LlmMeters#ERRORS}. */
	public static final String ERRORS = "llm.errors";

	/** See {@link LlmMeters#SLOW_REQUESTS}. */
	public static final String SLOW_REQUESTS = "llm.slow.requests";

	/** See {@link LlmMeters#FINISH_REASONS}. */
	public static final String FINISH_REASONS = "llm.finish.reasons";

	/** See {@link LlmMeters#EMPTY_RESPONSES}. */
	public static final String EMPTY_RESPONSES = "llm.empty.responses";

	/** See {@link LlmMeters#REFUSALS}. */
	public static final String REFUSALS = "llm.refusals";

	/** See {@link LlmMeters#REPETITION_RATIO}. */
	public static final String REPETITION_RATIO = "llm.response.repetition.ratio";

	/** See {@link LlmMeters#QUALITY_ANALYSES_DROPPED}. */
	public static final String QUALITY_ANALYSES_DROPPED = "llm.quality.analyses.dropped";

	/** See {@link LlmMeters#FEEDBACK_SCORE}. */
	public static final String FEEDBACK_SCORE = "llm.feedback.score";

	/** See {@link LlmMeters#BUDGET}. */
	public static final String BUDGET = "llm.budget";

	/** See {@link LlmMeters#GPU_UTILIZATION}. */
	public static final String GPU_UTILIZATION = "llm.gpu.utilization";

	/** See {@link LlmMeters#GPU_MEMORY_USED}. */
	public static final String GPU_MEMORY_USED = "llm.gpu.memory.used";

	/** See {@link LlmMeters#GPU_MEMORY_TOTAL}. */
	public static final String GPU_MEMORY_TOTAL = "llm.gpu.memory.total";

	/** See {@link LlmMeters#GPU_TEMPERATURE}. */
	public static final String GPU_TEMPERATURE = "llm.gpu.temperature";

	/** See {@link LlmMeters#GPU_POWER}. */
	public static final String GPU_POWER = "llm.gpu.power";

	private LlmMeterNames() {
	}

}
