package io.llmmonitor.observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallHighCardinalityKeys;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallLowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * Default {@link LlmCallObservationConvention}: observation {@code llm.request.duration}
 * (scraped as {@code llm_request_duration_seconds}), span name {@code "{operation} {model}"}.
 */
public class DefaultLlmCallObservationConvention implements LlmCallObservationConvention {

	/** Name of the observation and of the duration timer it produces. */
	public static final String NAME = "llm.request.duration";

	/** {@code error_type} of a call that did not fail. */
	public static final String NO_ERROR = "none";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(LlmCallContext context) {
		return hasModel(context) ? context.getOperation() + " " + context.getModel() : context.getOperation();
	}

	/** Whether the call names a model, requested or answered with. */
	private static boolean hasModel(LlmCallContext context) {
		return !context.getRequestModel().isEmpty() || context.getResponseModel() != null;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LlmCallContext context) {
		KeyValues keyValues = KeyValues.of(LlmCallLowCardinalityKeys.MODEL.withValue(context.getModelTag()),
				LlmCallLowCardinalityKeys.PROVIDER.withValue(context.getProviderTag()),
				LlmCallLowCardinalityKeys.OPERATION.withValue(context.getOperationTag()));
		CallStatus status = context.getStatus();
		if (status == null) {
			return keyValues;
		}
		return keyValues.and(LlmCallLowCardinalityKeys.STATUS.withValue(status.tagValue()),
				LlmCallLowCardinalityKeys.ERROR_TYPE.withValue(context.getErrorTypeTag()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(LlmCallContext context) {
		List<KeyValue> keyValues = new ArrayList<>(18);
		keyValues.add(LlmCallHighCardinalityKeys.OPERATION_NAME.withValue(context.getOperation()));
		keyValues.add(LlmCallHighCardinalityKeys.PROVIDER_NAME.withValue(context.getProvider()));
		if (hasModel(context)) {
			keyValues.add(LlmCallHighCardinalityKeys.REQUEST_MODEL.withValue(context.getModel()));
		}
		keyValues.add(LlmCallHighCardinalityKeys.REQUEST_STREAM.withValue(Boolean.toString(context.isStream())));
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.RESPONSE_MODEL, context.getResponseModel());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.USAGE_INPUT_TOKENS, context.getInputTokens());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS, context.getOutputTokens());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.USAGE_CACHE_READ_INPUT_TOKENS, context.getCachedInputTokens());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.USAGE_CACHE_CREATION_INPUT_TOKENS,
				context.getCacheCreationInputTokens());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.USAGE_REASONING_OUTPUT_TOKENS, context.getReasoningTokens());
		if (context.getOutputTokensSource() != null) {
			keyValues.add(LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS_SOURCE
				.withValue(context.getOutputTokensSource().tagValue()));
		}
		if (context.getTimeToFirstToken() != null) {
			keyValues.add(LlmCallHighCardinalityKeys.TIME_TO_FIRST_CHUNK
				.withValue(seconds(context.getTimeToFirstToken().toNanos())));
		}
		if (!context.getFinishReasons().isEmpty()) {
			keyValues.add(LlmCallHighCardinalityKeys.FINISH_REASONS.withValue(String.join(",", context.getFinishReasons())));
		}
		if (context.getCost() != null) {
			keyValues.add(LlmCallHighCardinalityKeys.COST_USD
				.withValue(String.format(Locale.ROOT, "%.6f", context.getCost().totalUsd())));
		}
		if (context.getError() != null) {
			keyValues.add(LlmCallHighCardinalityKeys.ERROR_TYPE.withValue(ErrorTypes.errorClass(context.getError()).getName()));
		}
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.ERROR_CATEGORY, context.getErrorCategory());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.INPUT_MESSAGES, context.getInputMessages());
		addIfKnown(keyValues, LlmCallHighCardinalityKeys.OUTPUT_MESSAGES, context.getOutputMessages());
		addRealValuesOfFoldedTags(keyValues, context);
		return KeyValues.of(keyValues);
	}

	/**
	 * The real values of the metric tags folded to {@code other}: a high-cardinality key value of
	 * the same key overrides the low-cardinality one on spans, never in metrics.
	 */
	private static void addRealValuesOfFoldedTags(List<KeyValue> keyValues, LlmCallContext context) {
		addIfFolded(keyValues, LlmCallLowCardinalityKeys.MODEL, context.getModelTag(), context.getModel());
		addIfFolded(keyValues, LlmCallLowCardinalityKeys.PROVIDER, context.getProviderTag(), context.getProvider());
		addIfFolded(keyValues, LlmCallLowCardinalityKeys.OPERATION, context.getOperationTag(), context.getOperation());
		if (context.getStatus() != null) {
			addIfFolded(keyValues, LlmCallLowCardinalityKeys.ERROR_TYPE, context.getErrorTypeTag(),
					errorType(context.getError()));
		}
	}

	private static void addIfFolded(List<KeyValue> keyValues, LlmCallLowCardinalityKeys key, String tag,
			String value) {
		if (!tag.equals(value)) {
			keyValues.add(key.withValue(value));
		}
	}

	private static void addIfKnown(List<KeyValue> keyValues, LlmCallHighCardinalityKeys key, @Nullable Object value) {
		if (value != null) {
			keyValues.add(key.withValue(value.toString()));
		}
	}

	static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
	}

	/**
	 * Simple class name of the error (of the timeout it wraps, if any: see {@link ErrorTypes}),
	 * {@code none} without one: the {@code error_type} tag. Spans carry the fully qualified name in
	 * {@code error.type}, as the semantic conventions ask. The only name of the error in the
	 * metrics: {@code LlmHistogramMeterFilter} removes Micrometer's {@code error} tag, and says why.
	 */
	public static String errorType(@Nullable Throwable error) {
		return (error != null) ? ErrorTypes.errorClass(error).getSimpleName() : NO_ERROR;
	}

}
