package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.llmmonitor.call.internal.CardinalityGuard;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.ErrorTypes;
import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

/**
 * Records the client metrics of the OpenTelemetry GenAI semantic conventions (v1.41) for every
 * LLM call, beside the {@code llm_*} metrics, for backends that speak OpenTelemetry (Micrometer's
 * OTLP registry exports them with their names, units and explicit bucket boundaries):
 * <ul>
 * <li>{@value #OPERATION_DURATION} ({@code s}), every call, {@code error.type} on failures;</li>
 * <li>{@value #TOKEN_USAGE} ({@code {token}}), by {@code gen_ai.token.type} {@code input} and
 * {@code output}, when the count is known;</li>
 * <li>{@value #TIME_TO_FIRST_CHUNK} ({@code s}), streams that produced content;</li>
 * <li>{@value #TIME_PER_OUTPUT_CHUNK} ({@code s}), streams of two content chunks or more: the
 * mean gap between content chunks, recorded once per chunk after the first, so that its sum (the
 * time from the first chunk to the last) and count (the chunks after the first) are exact.</li>
 * </ul>
 * Attributes: {@code gen_ai.operation.name}, {@code gen_ai.provider.name},
 * {@code gen_ai.request.model} (when the caller named one), {@code gen_ai.response.model} (when
 * the response named one). Model names go through the model cardinality guard
 * ({@code llm.monitor.max-models}): beyond the limit they are {@code other}. {@code error.type} is
 * the exception's class name, or {@code cancelled} for a call cancelled by its caller.
 * <p>
 * Durations are distribution summaries in seconds rather than timers, so that their unit and
 * boundaries stay those of the conventions whatever base time unit the registry exports timers in.
 */
public class GenAiSemconvMetricsObservationHandler implements ObservationHandler<LlmCallContext> {

	public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

	public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

	public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

	public static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";

	/** The boundaries the conventions give the three durations, in seconds. */
	public static final double[] DURATION_BUCKETS = { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
			10.24, 20.48, 40.96, 81.92 };

	/** The boundaries the conventions give token usage. */
	public static final double[] TOKEN_BUCKETS = { 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
			4194304, 16777216, 67108864 };

	/** {@code error.type} of a call its caller cancelled. */
	public static final String CANCELLED = "cancelled";

	private final MeterRegistry registry;

	private final CardinalityGuard responseModels;

	private final CardinalityGuard errorTypes;

	/** The meters of each name and attribute set, registered on first use. */
	private final Map<MeterKey, DistributionSummary> meters = new ConcurrentHashMap<>();

	private record MeterKey(String name, Tags tags) {
	}

	/**
	 * @param registry where the meters go
	 * @param maxModels most distinct response model names, as {@code llm.monitor.max-models}
	 * @param maxErrorTypes most distinct error types, as {@code llm.monitor.max-error-types}
	 */
	public GenAiSemconvMetricsObservationHandler(MeterRegistry registry, int maxModels, int maxErrorTypes) {
		this.registry = registry;
		this.responseModels = new CardinalityGuard("gen_ai.response.model values", "llm.monitor.max-models",
				maxModels);
		this.errorTypes = new CardinalityGuard("error.type values", "llm.monitor.max-error-types", maxErrorTypes);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStop(LlmCallContext context) {
		Tags tags = attributes(context);
		Duration duration = context.getDuration();
		if (duration != null) {
			String errorType = errorType(context);
			if (errorType != null) {
				errorType = this.errorTypes.admit(errorType);
			}
			Tags durationTags = (errorType != null) ? tags.and("error.type", errorType) : tags;
			summary(OPERATION_DURATION, "s", "GenAI operation duration.", DURATION_BUCKETS, durationTags)
				.record(seconds(duration.toNanos()));
		}
		recordTokens(tags, "input", context.getInputTokens());
		recordTokens(tags, "output", context.getOutputTokens());
		if (!context.isStream()) {
			return;
		}
		Duration timeToFirstChunk = context.getTimeToFirstToken();
		if (timeToFirstChunk != null) {
			summary(TIME_TO_FIRST_CHUNK, "s", "Time to receive the first chunk, from the request to the first chunk "
					+ "of the response stream.", DURATION_BUCKETS, tags)
				.record(seconds(timeToFirstChunk.toNanos()));
		}
		double timePerOutputChunk = context.getTimePerOutputChunkNanos();
		if (!Double.isNaN(timePerOutputChunk)) {
			DistributionSummary summary = summary(TIME_PER_OUTPUT_CHUNK, "s",
					"Time per output chunk after the first one.", DURATION_BUCKETS, tags);
			double value = seconds(timePerOutputChunk);
			for (long chunk = 1; chunk < context.getContentChunks(); chunk++) {
				summary.record(value);
			}
		}
	}

	private void recordTokens(Tags tags, String type, @Nullable Long tokens) {
		if (tokens != null && tokens >= 0) {
			summary(TOKEN_USAGE, "{token}", "Number of input and output tokens used.", TOKEN_BUCKETS,
					tags.and("gen_ai.token.type", type))
				.record(tokens);
		}
	}

	private Tags attributes(LlmCallContext context) {
		List<Tag> tags = new ArrayList<>(4);
		tags.add(Tag.of("gen_ai.operation.name", context.getOperationTag()));
		tags.add(Tag.of("gen_ai.provider.name", context.getProviderTag()));
		if (!context.getRequestModel().isEmpty()) {
			// the model tag of a named model is the guarded request model
			tags.add(Tag.of("gen_ai.request.model", context.getModelTag()));
		}
		String responseModel = context.getResponseModel();
		if (responseModel != null && !responseModel.isEmpty()) {
			tags.add(Tag.of("gen_ai.response.model", this.responseModels.atEnd(responseModel, context.getStatus() == CallStatus.SUCCESS)));
		}
		return Tags.of(tags);
	}

	private static @Nullable String errorType(LlmCallContext context) {
		if (context.getStatus() == CallStatus.CANCELLED) {
			return CANCELLED;
		}
		Throwable error = context.getError();
		if (context.getStatus() == CallStatus.ERROR || error != null) {
			return (error != null) ? ErrorTypes.errorClass(error).getName() : "_OTHER";
		}
		return null;
	}

	private DistributionSummary summary(String name, String unit, String description, double[] buckets, Tags tags) {
		return this.meters.computeIfAbsent(new MeterKey(name, tags), (key) -> DistributionSummary.builder(name)
			.baseUnit(unit)
			.description(description)
			.serviceLevelObjectives(buckets)
			.tags(tags)
			.register(this.registry));
	}

	private static double seconds(double nanos) {
		return nanos / 1e9;
	}

}
