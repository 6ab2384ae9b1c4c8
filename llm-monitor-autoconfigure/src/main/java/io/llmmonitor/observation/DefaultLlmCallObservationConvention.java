package io.llmmonitor.observation;

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
		return context.getOperation() + " " + context.getModel();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(LlmCallContext context) {
		KeyValues keyValues = KeyValues.of(LlmCallLowCardinalityKeys.MODEL.withValue(context.getModelTag()),
				LlmCallLowCardinalityKeys.PROVIDER.withValue(context.getProvider()),
				LlmCallLowCardinalityKeys.OPERATION.withValue(context.getOperation()));
		CallStatus status = context.getStatus();
		if (status == null) {
			return keyValues;
		}
		return keyValues.and(LlmCallLowCardinalityKeys.STATUS.withValue(status.tagValue()),
				LlmCallLowCardinalityKeys.ERROR_TYPE.withValue(errorType(context.getError())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(LlmCallContext context) {
		KeyValues keyValues = KeyValues.of(LlmCallHighCardinalityKeys.OPERATION_NAME.withValue(context.getOperation()),
				LlmCallHighCardinalityKeys.PROVIDER_NAME.withValue(context.getProvider()),
				LlmCallHighCardinalityKeys.REQUEST_MODEL.withValue(context.getModel()),
				LlmCallHighCardinalityKeys.REQUEST_STREAM.withValue(Boolean.toString(context.isStream())));
		keyValues = and(keyValues, LlmCallHighCardinalityKeys.RESPONSE_MODEL, context.getResponseModel());
		keyValues = and(keyValues, LlmCallHighCardinalityKeys.USAGE_INPUT_TOKENS, context.getInputTokens());
		keyValues = and(keyValues, LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS, context.getOutputTokens());
		if (context.getOutputTokensSource() != null) {
			keyValues = keyValues.and(LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS_SOURCE
				.withValue(context.getOutputTokensSource().tagValue()));
		}
		if (context.getTimeToFirstToken() != null) {
			keyValues = keyValues.and(LlmCallHighCardinalityKeys.TIME_TO_FIRST_CHUNK
				.withValue(seconds(context.getTimeToFirstToken().toNanos())));
		}
		if (!context.getFinishReasons().isEmpty()) {
			keyValues = keyValues.and(LlmCallHighCardinalityKeys.FINISH_REASONS
				.withValue(String.join(",", context.getFinishReasons())));
		}
		if (context.getError() != null) {
			keyValues = keyValues
				.and(LlmCallHighCardinalityKeys.ERROR_TYPE.withValue(errorType(context.getError())));
		}
		keyValues = and(keyValues, LlmCallHighCardinalityKeys.INPUT_MESSAGES, context.getInputMessages());
		return and(keyValues, LlmCallHighCardinalityKeys.OUTPUT_MESSAGES, context.getOutputMessages());
	}

	private static KeyValues and(KeyValues keyValues, LlmCallHighCardinalityKeys key, @Nullable Object value) {
		return (value != null) ? keyValues.and(KeyValue.of(key.asString(), value.toString())) : keyValues;
	}

	static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
	}

	/** Simple class name of the error, {@code none} without one. */
	public static String errorType(@Nullable Throwable error) {
		return (error != null) ? error.getClass().getSimpleName() : NO_ERROR;
	}

}
