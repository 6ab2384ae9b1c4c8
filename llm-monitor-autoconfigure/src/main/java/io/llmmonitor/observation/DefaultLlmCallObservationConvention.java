package io.llmmonitor.observation;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.llmmonitor.call.internal.Decimals;
import io.llmmonitor.cost.CallCost;
import io.llmmonitor.docs.LlmMeterNames;
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
	public static final String NAME = LlmMeterNames.REQUEST_DURATION;

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
		if (context.getStatus() == null) {
			return KeyValues.of(modelTag(context), providerTag(context), operationTag(context));
		}
		return KeyValues.of(modelTag(context), providerTag(context), operationTag(context), statusTag(context),
				errorTypeTag(context));
	}

	/** {@code model}: the requested model, or {@code other} past its limit. */
	protected KeyValue modelTag(LlmCallContext context) {
		return LlmCallLowCardinalityKeys.MODEL.withValue(context.getModelTag());
	}

	/** {@code provider}, or {@code other} past its limit. */
	protected KeyValue providerTag(LlmCallContext context) {
		return LlmCallLowCardinalityKeys.PROVIDER.withValue(context.getProviderTag());
	}

	/** {@code operation}, or {@code other} past its limit. */
	protected KeyValue operationTag(LlmCallContext context) {
		return LlmCallLowCardinalityKeys.OPERATION.withValue(context.getOperationTag());
	}

	/** {@code status}, once the call ended. */
	protected KeyValue statusTag(LlmCallContext context) {
		CallStatus status = context.getStatus();
		return LlmCallLowCardinalityKeys.STATUS.withValue((status != null) ? status.tagValue() : "");
	}

	/** {@code error_type}, once the call ended. */
	protected KeyValue errorTypeTag(LlmCallContext context) {
		return LlmCallLowCardinalityKeys.ERROR_TYPE.withValue(context.getErrorTypeTag());
	}

	/**
	 * The span attributes. Each comes from its own {@code protected} method, which a subclass
	 * overrides to change that one attribute; a method returning {@code null} leaves its attribute
	 * out.
	 */
	@Override
	public KeyValues getHighCardinalityKeyValues(LlmCallContext context) {
		@Nullable KeyValue[] keyValues = { operationName(context), providerName(context), requestModel(context),
				requestStream(context), responseModel(context), inputTokens(context), outputTokens(context),
				cacheReadInputTokens(context), cacheCreationInputTokens(context), reasoningOutputTokens(context),
				outputTokensSource(context), timeToFirstChunk(context), finishReasons(context), costUsd(context),
				errorClass(context), errorCategory(context), inputMessages(context), outputMessages(context),
				unfoldedModel(context), unfoldedProvider(context), unfoldedOperation(context),
				unfoldedErrorType(context) };
		return KeyValues.of(withoutNulls(keyValues));
	}

	/** The non-null key values, in place: the array itself when none is null. */
	private static KeyValue[] withoutNulls(@Nullable KeyValue[] keyValues) {
		int count = 0;
		for (KeyValue keyValue : keyValues) {
			if (keyValue != null) {
				keyValues[count++] = keyValue;
			}
		}
		@SuppressWarnings("NullAway") // the first count entries are not null
		KeyValue[] nonNull = (count == keyValues.length) ? keyValues : Arrays.copyOf(keyValues, count);
		return nonNull;
	}

	/** {@code gen_ai.operation.name}. */
	protected @Nullable KeyValue operationName(LlmCallContext context) {
		return LlmCallHighCardinalityKeys.OPERATION_NAME.withValue(context.getOperation());
	}

	/** {@code gen_ai.provider.name}. */
	protected @Nullable KeyValue providerName(LlmCallContext context) {
		return LlmCallHighCardinalityKeys.PROVIDER_NAME.withValue(context.getProvider());
	}

	/** {@code gen_ai.request.model}: the model requested, else the one answered with, when known. */
	protected @Nullable KeyValue requestModel(LlmCallContext context) {
		return hasModel(context) ? LlmCallHighCardinalityKeys.REQUEST_MODEL.withValue(context.getModel()) : null;
	}

	/** {@code gen_ai.request.stream}. */
	protected @Nullable KeyValue requestStream(LlmCallContext context) {
		return LlmCallHighCardinalityKeys.REQUEST_STREAM.withValue(Boolean.toString(context.isStream()));
	}

	/** {@code gen_ai.response.model}, when the response named one. */
	protected @Nullable KeyValue responseModel(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.RESPONSE_MODEL, context.getResponseModel());
	}

	/** {@code gen_ai.usage.input_tokens}, when reported. */
	protected @Nullable KeyValue inputTokens(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.USAGE_INPUT_TOKENS, context.getInputTokens());
	}

	/** {@code gen_ai.usage.output_tokens}, when counted. */
	protected @Nullable KeyValue outputTokens(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS, context.getOutputTokens());
	}

	/** {@code gen_ai.usage.cache_read.input_tokens}, when reported. */
	protected @Nullable KeyValue cacheReadInputTokens(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.USAGE_CACHE_READ_INPUT_TOKENS, context.getCachedInputTokens());
	}

	/** {@code gen_ai.usage.cache_creation.input_tokens}, when reported. */
	protected @Nullable KeyValue cacheCreationInputTokens(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.USAGE_CACHE_CREATION_INPUT_TOKENS,
				context.getCacheCreationInputTokens());
	}

	/** {@code gen_ai.usage.reasoning.output_tokens}, when reported. */
	protected @Nullable KeyValue reasoningOutputTokens(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.USAGE_REASONING_OUTPUT_TOKENS, context.getReasoningTokens());
	}

	/** {@code llm.usage.output_tokens.source}, when output tokens were counted. */
	protected @Nullable KeyValue outputTokensSource(LlmCallContext context) {
		TokenCountSource source = context.getOutputTokensSource();
		return (source != null) ? LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS_SOURCE.withValue(source.tagValue())
				: null;
	}

	/** {@code gen_ai.response.time_to_first_chunk} in seconds, once the first chunk arrived. */
	protected @Nullable KeyValue timeToFirstChunk(LlmCallContext context) {
		Duration timeToFirstToken = context.getTimeToFirstToken();
		return (timeToFirstToken != null)
				? LlmCallHighCardinalityKeys.TIME_TO_FIRST_CHUNK.withValue(seconds(timeToFirstToken.toNanos())) : null;
	}

	/** {@code gen_ai.response.finish_reasons}, comma-separated, when known. */
	protected @Nullable KeyValue finishReasons(LlmCallContext context) {
		List<String> finishReasons = context.getFinishReasons();
		return !finishReasons.isEmpty()
				? LlmCallHighCardinalityKeys.FINISH_REASONS.withValue(String.join(",", finishReasons)) : null;
	}

	/** {@code llm.cost.usd}, when the model has a price. */
	protected @Nullable KeyValue costUsd(LlmCallContext context) {
		CallCost cost = context.getCost();
		return (cost != null) ? LlmCallHighCardinalityKeys.COST_USD
			.withValue(Decimals.fixed(cost.totalUsd(), 6)) : null;
	}

	/** {@code error.type}: the fully qualified class name of the exception, on failure. */
	protected @Nullable KeyValue errorClass(LlmCallContext context) {
		Throwable error = context.getError();
		return (error != null) ? LlmCallHighCardinalityKeys.ERROR_TYPE.withValue(ErrorTypes.errorClass(error).getName())
				: null;
	}

	/** {@code llm.error.category}, on failure. */
	protected @Nullable KeyValue errorCategory(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.ERROR_CATEGORY, context.getErrorCategory());
	}

	/** {@code gen_ai.input.messages}, when content is captured. */
	protected @Nullable KeyValue inputMessages(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.INPUT_MESSAGES, context.getInputMessages());
	}

	/** {@code gen_ai.output.messages}, when content is captured. */
	protected @Nullable KeyValue outputMessages(LlmCallContext context) {
		return ifKnown(LlmCallHighCardinalityKeys.OUTPUT_MESSAGES, context.getOutputMessages());
	}

	/**
	 * The real model when its {@code model} tag was folded to {@code other}: a high-cardinality
	 * key value of the same key overrides the low-cardinality one on spans, never in metrics.
	 */
	protected @Nullable KeyValue unfoldedModel(LlmCallContext context) {
		return ifFolded(LlmCallLowCardinalityKeys.MODEL, context.getModelTag(), context.getModel());
	}

	/** The real provider when its {@code provider} tag was folded (see {@link #unfoldedModel}). */
	protected @Nullable KeyValue unfoldedProvider(LlmCallContext context) {
		return ifFolded(LlmCallLowCardinalityKeys.PROVIDER, context.getProviderTag(), context.getProvider());
	}

	/** The real operation when its {@code operation} tag was folded (see {@link #unfoldedModel}). */
	protected @Nullable KeyValue unfoldedOperation(LlmCallContext context) {
		return ifFolded(LlmCallLowCardinalityKeys.OPERATION, context.getOperationTag(), context.getOperation());
	}

	/** The real error type when its {@code error_type} tag was folded (see {@link #unfoldedModel}). */
	protected @Nullable KeyValue unfoldedErrorType(LlmCallContext context) {
		return (context.getStatus() != null) ? ifFolded(LlmCallLowCardinalityKeys.ERROR_TYPE,
				context.getErrorTypeTag(), errorType(context.getError())) : null;
	}

	private static @Nullable KeyValue ifFolded(LlmCallLowCardinalityKeys key, String tag, String value) {
		return !tag.equals(value) ? key.withValue(value) : null;
	}

	private static @Nullable KeyValue ifKnown(LlmCallHighCardinalityKeys key, @Nullable Object value) {
		return (value != null) ? key.withValue(value.toString()) : null;
	}

	static String seconds(long nanos) {
		return Decimals.fixed(nanos / 1e9, 6);
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
