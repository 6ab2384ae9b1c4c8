package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.llmmonitor.cost.CallCost;
import io.llmmonitor.docs.LlmMeterNames;
import io.llmmonitor.docs.LlmMeters;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallLowCardinalityKeys;
import io.llmmonitor.observation.SlowCallReason;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

/**
 * Records the LLM metrics that the observation's duration timer cannot express: time to first
 * token, time per output token, token generation rate, tokens, cost, calls in flight and slow
 * calls.
 * Tagged with the observation's identity tags (model, provider, operation and whatever a custom
 * convention adds; the per-token distributions all but operation), never with status.
 * <p>
 * Deliberately not a {@code MeterObservationHandler}: declaring one would replace Spring Boot's
 * default meter handler, which times every other observation of the application.
 */
public class LlmMetricsObservationHandler implements ObservationHandler<LlmCallContext> {

	/** Time to first token, scraped as {@code llm_time_to_first_token_seconds}. */
	public static final String TIME_TO_FIRST_TOKEN = LlmMeterNames.TIME_TO_FIRST_TOKEN;

	/** Mean gap between output tokens after the first, {@code llm_time_per_output_token_seconds}. */
	public static final String TIME_PER_OUTPUT_TOKEN = LlmMeterNames.TIME_PER_OUTPUT_TOKEN;

	/** Output tokens per second after the first token, {@code llm_token_generation_rate}. */
	public static final String TOKEN_GENERATION_RATE = LlmMeterNames.TOKEN_GENERATION_RATE;

	/**
	 * Tokens by {@code type}, {@code llm_tokens_total}: {@code input} and {@code output}, and
	 * where the provider reports them {@code reasoning} (part of output) and {@code cached_input}
	 * (part of input).
	 */
	public static final String TOKENS = LlmMeterNames.TOKENS;

	/**
	 * Input and output tokens of each call by {@code type}, {@code llm_tokens_per_call}: the
	 * distribution that the drift rules compare (last hour against the previous 7 days), which
	 * the {@link #TOKENS} counter cannot give. Fixed buckets, powers of 4 from 16 to 262144.
	 */
	public static final String TOKENS_PER_CALL = LlmMeterNames.TOKENS_PER_CALL;

	/**
	 * Cost in US dollars by {@code type}, {@code llm_cost_usd_total}; needs prices. The types add
	 * up to the cost: {@code input}, {@code output} (reasoning included) and, for models with a
	 * cached-input price, {@code cached_input}.
	 */
	public static final String COST = LlmMeterNames.COST;

	/** Calls in flight, {@code llm_active_requests}. */
	public static final String ACTIVE_REQUESTS = LlmMeterNames.ACTIVE_REQUESTS;

	/**
	 * Failed calls by {@code error_type} and {@code category} (why they failed: a fixed set, see
	 * {@code io.llmmonitor.error.ErrorCategory}), {@code llm_errors_total}. A counter of its own,
	 * not a tag of {@code llm_request_duration_seconds}, whose histogram series it would multiply.
	 */
	public static final String ERRORS = LlmMeterNames.ERRORS;

	/** Slow calls by {@code reason}, {@code llm_slow_requests_total}. */
	public static final String SLOW_REQUESTS = LlmMeterNames.SLOW_REQUESTS;

	private static final Object STARTED_METERS_KEY = new Object();

	private static final String OPERATION_KEY = LlmCallLowCardinalityKeys.OPERATION.asString();

	private static final List<String> OUTCOME_KEYS = List.of(LlmCallLowCardinalityKeys.STATUS.asString(),
			LlmCallLowCardinalityKeys.ERROR_TYPE.asString());

	private final MeterRegistry registry;

	/** The meters of each model, provider and operation, registered on first use. */
	private final Map<Tags, CallMeters> meters = new ConcurrentHashMap<>();

	public LlmMetricsObservationHandler(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStart(LlmCallContext context) {
		CallMeters meters = metersOf(context.getLowCardinalityKeyValues());
		meters.active().incrementAndGet();
		context.put(STARTED_METERS_KEY, meters);
		// the gauge returns even when another handler's failure keeps this onStop from Micrometer
		context.awaitStop(this);
	}

	@Override
	public void onStop(LlmCallContext context) {
		context.stopReceived(this);
		CallMeters started = context.get(STARTED_METERS_KEY);
		if (started != null) {
			started.active().decrementAndGet();
		}
		// the identity may have changed since the start: a model known only from the response
		KeyValues lowCardinality = context.getLowCardinalityKeyValues();
		CallMeters meters = (started != null && started.hasIdentity(lowCardinality)) ? started
				: metersOf(lowCardinality);
		Duration timeToFirstToken = context.getTimeToFirstToken();
		if (timeToFirstToken != null) {
			meters.timeToFirstToken().record(timeToFirstToken);
		}
		double timePerOutputToken = context.getTimePerOutputTokenNanos();
		if (!Double.isNaN(timePerOutputToken)) {
			meters.timePerOutputToken().record(Math.round(timePerOutputToken), TimeUnit.NANOSECONDS);
		}
		double tokenRate = context.getTokenGenerationRate();
		if (!Double.isNaN(tokenRate)) {
			meters.tokenGenerationRate().record(tokenRate);
		}
		Long inputTokens = context.getInputTokens();
		if (inputTokens != null && inputTokens > 0) {
			meters.inputTokens().increment(inputTokens);
		}
		if (inputTokens != null) {
			meters.tokensPerCall(0).record(inputTokens);
		}
		Long outputTokens = context.getOutputTokens();
		if (outputTokens != null && outputTokens > 0) {
			meters.outputTokens().increment(outputTokens);
		}
		if (outputTokens != null) {
			meters.tokensPerCall(1).record(outputTokens);
		}
		Long reasoningTokens = context.getReasoningTokens();
		if (reasoningTokens != null && reasoningTokens > 0) {
			meters.counter(Kind.REASONING_TOKENS).increment(reasoningTokens);
		}
		Long cachedInputTokens = context.getCachedInputTokens();
		if (cachedInputTokens != null && cachedInputTokens > 0) {
			meters.counter(Kind.CACHED_INPUT_TOKENS).increment(cachedInputTokens);
		}
		CallCost cost = context.getCost();
		if (cost != null) {
			if (cost.inputUsd() > 0) {
				meters.inputCost().increment(cost.inputUsd());
			}
			if (cost.outputUsd() > 0) {
				meters.outputCost().increment(cost.outputUsd());
			}
			if (cost.cachedInputUsd() > 0) {
				meters.counter(Kind.CACHED_INPUT_COST).increment(cost.cachedInputUsd());
			}
		}
		String errorCategory = context.getErrorCategory();
		if (errorCategory != null && context.getStatus() == CallStatus.ERROR) {
			meters.errors(context.getErrorTypeTag(), errorCategory).increment();
		}
		for (SlowCallReason reason : context.getSlowReasons()) {
			meters.slowRequests(reason).increment();
		}
	}

	private CallMeters metersOf(KeyValues lowCardinality) {
		return this.meters.computeIfAbsent(identityTags(lowCardinality), (tags) -> new CallMeters(this.registry, tags));
	}

	/** The low-cardinality key values but the outcome ({@code status}, {@code error_type}). */
	private static Tags identityTags(KeyValues lowCardinality) {
		List<Tag> tags = new ArrayList<>(4);
		for (KeyValue keyValue : lowCardinality) {
			if (isIdentity(keyValue)) {
				tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
			}
		}
		return Tags.of(tags);
	}

	private static boolean isIdentity(KeyValue keyValue) {
		return !OUTCOME_KEYS.contains(keyValue.getKey());
	}

	/** The counters of one identity, tagged by {@code type}. */
	private enum Kind {

		INPUT_TOKENS(LlmMeters.TOKENS, "input"),
		OUTPUT_TOKENS(LlmMeters.TOKENS, "output"),
		REASONING_TOKENS(LlmMeters.TOKENS, "reasoning"),
		CACHED_INPUT_TOKENS(LlmMeters.TOKENS, "cached_input"),
		INPUT_COST(LlmMeters.COST, "input"),
		OUTPUT_COST(LlmMeters.COST, "output"),
		CACHED_INPUT_COST(LlmMeters.COST, "cached_input");

		private final LlmMeters meter;

		private final String type;

		Kind(LlmMeters meter, String type) {
			this.meter = meter;
			this.type = type;
		}

	}

	/**
	 * The meters of one identity (model, provider, operation, ...), each registered when first
	 * recorded, so that a series appears only once it has data. Concurrent first uses may both
	 * register: the registry returns the same meter to both.
	 */
	private static final class CallMeters {

		private final MeterRegistry registry;

		private final Tags tags;

		/**
		 * The tags of the per-token distributions (time to first token, time per output token,
		 * token rate, tokens per call): the identity less {@code operation}. They describe how a
		 * model serves tokens, the same whichever operation asked (embeddings stream none), and
		 * every panel and rule reads them by model and provider; with {@code operation} their
		 * buckets were repeated for each operation of a model. The counters, the gauge and the
		 * duration timer keep it.
		 */
		private final Tags distributionTags;

		private volatile @Nullable AtomicLong active;

		private volatile @Nullable Timer timeToFirstToken;

		private volatile @Nullable Timer timePerOutputToken;

		private volatile @Nullable DistributionSummary tokenGenerationRate;

		/** Input (0) and output (1) tokens per call. */
		private final AtomicReferenceArray<DistributionSummary> tokensPerCall = new AtomicReferenceArray<>(2);

		/** By {@link Kind}; a racing first use registers twice and gets the same counter. */
		private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(Kind.values().length);

		private final Map<SlowCallReason, Counter> slowRequests = new EnumMap<>(SlowCallReason.class);

		/** By error type and category: both bounded, the error type by llm.monitor.max-error-types. */
		private final Map<List<String>, Counter> errors = new ConcurrentHashMap<>();

		CallMeters(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
			this.distributionTags = Tags.of(tags.stream().filter((tag) -> !tag.getKey().equals(OPERATION_KEY)).toList());
		}

		/**
		 * Whether these are the meters of the identity in these key values: the same keys and
		 * values, outcome aside (both sorted by key), so that a call whose identity did not change
		 * since its start finds its meters again without building its tags.
		 */
		boolean hasIdentity(KeyValues lowCardinality) {
			Iterator<Tag> identity = this.tags.iterator();
			for (KeyValue keyValue : lowCardinality) {
				if (!isIdentity(keyValue)) {
					continue;
				}
				if (!identity.hasNext()) {
					return false;
				}
				Tag tag = identity.next();
				if (!tag.getKey().equals(keyValue.getKey()) || !tag.getValue().equals(keyValue.getValue())) {
					return false;
				}
			}
			return !identity.hasNext();
		}

		synchronized AtomicLong active() {
			AtomicLong active = this.active;
			if (active == null) {
				active = new AtomicLong();
				Gauge.builder(ACTIVE_REQUESTS, active, AtomicLong::get)
					.tags(this.tags)
					.description(LlmMeters.ACTIVE_REQUESTS.getDescription())
					.strongReference(true)
					.register(this.registry);
				this.active = active;
			}
			return active;
		}

		Timer timeToFirstToken() {
			Timer timer = this.timeToFirstToken;
			if (timer == null) {
				timer = Timer.builder(TIME_TO_FIRST_TOKEN)
					.description(LlmMeters.TIME_TO_FIRST_TOKEN.getDescription())
					.tags(this.distributionTags)
					.register(this.registry);
				this.timeToFirstToken = timer;
			}
			return timer;
		}

		Timer timePerOutputToken() {
			Timer timer = this.timePerOutputToken;
			if (timer == null) {
				timer = Timer.builder(TIME_PER_OUTPUT_TOKEN)
					.description(LlmMeters.TIME_PER_OUTPUT_TOKEN.getDescription())
					.tags(this.distributionTags)
					.register(this.registry);
				this.timePerOutputToken = timer;
			}
			return timer;
		}

		DistributionSummary tokenGenerationRate() {
			DistributionSummary summary = this.tokenGenerationRate;
			if (summary == null) {
				summary = DistributionSummary.builder(TOKEN_GENERATION_RATE)
					.description(LlmMeters.TOKEN_GENERATION_RATE.getDescription())
					.tags(this.distributionTags)
					.register(this.registry);
				this.tokenGenerationRate = summary;
			}
			return summary;
		}

		/** {@code index} 0: input, 1: output. */
		DistributionSummary tokensPerCall(int index) {
			DistributionSummary summary = this.tokensPerCall.get(index);
			if (summary == null) {
				summary = DistributionSummary.builder(TOKENS_PER_CALL)
					.description(LlmMeters.TOKENS_PER_CALL.getDescription())
					.tags(this.distributionTags)
					.tag("type", (index == 0) ? "input" : "output")
					.register(this.registry);
				this.tokensPerCall.set(index, summary);
			}
			return summary;
		}

		Counter inputTokens() {
			return counter(Kind.INPUT_TOKENS);
		}

		Counter outputTokens() {
			return counter(Kind.OUTPUT_TOKENS);
		}

		Counter inputCost() {
			return counter(Kind.INPUT_COST);
		}

		Counter outputCost() {
			return counter(Kind.OUTPUT_COST);
		}

		Counter counter(Kind kind) {
			Counter counter = this.counters.get(kind.ordinal());
			if (counter == null) {
				counter = Counter.builder(kind.meter.getName())
					.baseUnit(kind.meter.getBaseUnit())
					.description(kind.meter.getDescription())
					.tags(this.tags)
					.tag("type", kind.type)
					.register(this.registry);
				this.counters.set(kind.ordinal(), counter);
			}
			return counter;
		}

		Counter errors(String errorType, String category) {
			return this.errors.computeIfAbsent(List.of(errorType, category), (key) -> Counter.builder(ERRORS)
				.description(LlmMeters.ERRORS.getDescription())
				.tags(this.tags)
				.tag("error_type", errorType)
				.tag("category", category)
				.register(this.registry));
		}

		synchronized Counter slowRequests(SlowCallReason reason) {
			return this.slowRequests.computeIfAbsent(reason, (key) -> Counter.builder(SLOW_REQUESTS)
				.description(LlmMeters.SLOW_REQUESTS.getDescription())
				.tags(this.tags)
				.tag("reason", key.tagValue())
				.register(this.registry));
		}

	}

}
