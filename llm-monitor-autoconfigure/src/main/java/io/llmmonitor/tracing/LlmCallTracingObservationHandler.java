package io.llmmonitor.tracing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.cost.CallCost;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallEvent;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallHighCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * Turns LLM call observations into OpenTelemetry GenAI CLIENT spans: numeric and boolean
 * attributes keep their types (the default handler writes strings), finish reasons are a string
 * array, and the events recorded during the call (first token, per-token, slow call, user
 * events) carry the time they happened.
 * <p>
 * Ordered before Spring Boot's sender handler, so it is the one tracing handler that sees LLM calls.
 */
public class LlmCallTracingObservationHandler extends PropagatingSenderTracingObservationHandler<LlmCallContext> {

	/** Written with their own type below; OpenTelemetry would keep a string twin of the same name. */
	private static final Set<String> TYPED_KEYS = Set.of(LlmCallHighCardinalityKeys.REQUEST_STREAM.asString(),
			LlmCallHighCardinalityKeys.USAGE_INPUT_TOKENS.asString(),
			LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS.asString(),
			LlmCallHighCardinalityKeys.USAGE_CACHE_READ_INPUT_TOKENS.asString(),
			LlmCallHighCardinalityKeys.USAGE_CACHE_CREATION_INPUT_TOKENS.asString(),
			LlmCallHighCardinalityKeys.USAGE_REASONING_OUTPUT_TOKENS.asString(),
			LlmCallHighCardinalityKeys.TIME_TO_FIRST_CHUNK.asString(),
			LlmCallHighCardinalityKeys.FINISH_REASONS.asString(), LlmCallHighCardinalityKeys.COST_USD.asString());

	public LlmCallTracingObservationHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	/**
	 * Starts the span without the injection of its trace context that the sender handler does:
	 * an LLM call has no carrier (the HTTP client under it propagates its own span), and the
	 * propagators would format {@code traceparent} and baggage for nothing on every call.
	 */
	@Override
	public void onStart(LlmCallContext context) {
		Span span = createSenderSpan(context);
		getTracingContext(context).setSpan(span);
		// the span ends even when another handler's failure keeps this onStop from Micrometer
		context.awaitStop(this);
	}

	@Override
	public void onStop(LlmCallContext context) {
		context.stopReceived(this);
		super.onStop(context);
	}

	@Override
	public void tagSpan(LlmCallContext context, Span span) {
		// low, then high cardinality: a high one of the same key wins, as in getAllKeyValues(),
		// without merging the two into a third sorted set on every call
		tagStrings(span, context.getLowCardinalityKeyValues());
		tagStrings(span, context.getHighCardinalityKeyValues());
		span.tag(LlmCallHighCardinalityKeys.REQUEST_STREAM.asString(), context.isStream());
		if (context.getInputTokens() != null) {
			span.tag(LlmCallHighCardinalityKeys.USAGE_INPUT_TOKENS.asString(), context.getInputTokens());
		}
		if (context.getOutputTokens() != null) {
			span.tag(LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS.asString(), context.getOutputTokens());
		}
		tagIfKnown(span, LlmCallHighCardinalityKeys.USAGE_CACHE_READ_INPUT_TOKENS, context.getCachedInputTokens());
		tagIfKnown(span, LlmCallHighCardinalityKeys.USAGE_CACHE_CREATION_INPUT_TOKENS,
				context.getCacheCreationInputTokens());
		tagIfKnown(span, LlmCallHighCardinalityKeys.USAGE_REASONING_OUTPUT_TOKENS, context.getReasoningTokens());
		Duration timeToFirstToken = context.getTimeToFirstToken();
		if (timeToFirstToken != null) {
			span.tag(LlmCallHighCardinalityKeys.TIME_TO_FIRST_CHUNK.asString(), timeToFirstToken.toNanos() / 1e9);
		}
		CallCost cost = context.getCost();
		if (cost != null) {
			span.tag(LlmCallHighCardinalityKeys.COST_USD.asString(), cost.totalUsd());
		}
		if (!context.getFinishReasons().isEmpty()) {
			span.tagOfStrings(LlmCallHighCardinalityKeys.FINISH_REASONS.asString(), context.getFinishReasons());
		}
	}

	private static void tagStrings(Span span, KeyValues keyValues) {
		for (KeyValue keyValue : keyValues) {
			if (!TYPED_KEYS.contains(keyValue.getKey())) {
				span.tag(keyValue.getKey(), keyValue.getValue());
			}
		}
	}

	private static void tagIfKnown(Span span, LlmCallHighCardinalityKeys key, @Nullable Long value) {
		if (value != null) {
			span.tag(key.asString(), value);
		}
	}

	@Override
	public void customizeSenderSpan(LlmCallContext context, Span span) {
		for (LlmCallEvent event : context.getEvents()) {
			span.event(event.name(), context.toEpochNanos(event.monotonicNanos()), TimeUnit.NANOSECONDS);
		}
	}

}
