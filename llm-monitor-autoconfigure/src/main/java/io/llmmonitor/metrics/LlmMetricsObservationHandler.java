package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallLowCardinalityKeys;
import io.llmmonitor.observation.SlowCallReason;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

/**
 * Records the LLM metrics that the observation's duration timer cannot express: time to first
 * token, time per output token, token generation rate, tokens, calls in flight and slow calls.
 * Tagged with the observation's identity tags (model, provider, operation and whatever a custom
 * convention adds), never with status.
 * <p>
 * Deliberately not a {@code MeterObservationHandler}: declaring one would replace Spring Boot's
 * default meter handler, which times every other observation of the application.
 */
public class LlmMetricsObservationHandler implements ObservationHandler<LlmCallContext> {

	/** Time to first token, scraped as {@code llm_time_to_first_token_seconds}. */
	public static final String TIME_TO_FIRST_TOKEN = "llm.time.to.first.token";

	/** Mean gap between output tokens after the first, {@code llm_time_per_output_token_seconds}. */
	public static final String TIME_PER_OUTPUT_TOKEN = "llm.time.per.output.token";

	/** Output tokens per second after the first token, {@code llm_token_generation_rate}. */
	public static final String TOKEN_GENERATION_RATE = "llm.token.generation.rate";

	/** Tokens by {@code type} (input, output), {@code llm_tokens_total}. */
	public static final String TOKENS = "llm.tokens";

	/** Calls in flight, {@code llm_active_requests}. */
	public static final String ACTIVE_REQUESTS = "llm.active.requests";

	/** Slow calls by {@code reason}, {@code llm_slow_requests_total}. */
	public static final String SLOW_REQUESTS = "llm.slow.requests";

	private static final Object ACTIVE_COUNTER_KEY = new Object();

	private static final List<String> OUTCOME_KEYS = List.of(LlmCallLowCardinalityKeys.STATUS.asString(),
			LlmCallLowCardinalityKeys.ERROR_TYPE.asString());

	private final MeterRegistry registry;

	private final Map<Tags, AtomicLong> activeCounters = new ConcurrentHashMap<>();

	public LlmMetricsObservationHandler(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStart(LlmCallContext context) {
		AtomicLong active = this.activeCounters.computeIfAbsent(identityTags(context), this::registerActiveGauge);
		active.incrementAndGet();
		context.put(ACTIVE_COUNTER_KEY, active);
	}

	private AtomicLong registerActiveGauge(Tags tags) {
		AtomicLong active = new AtomicLong();
		Gauge.builder(ACTIVE_REQUESTS, active, AtomicLong::get)
			.tags(tags)
			.description("LLM calls in flight, streams included")
			.strongReference(true)
			.register(this.registry);
		return active;
	}

	@Override
	public void onStop(LlmCallContext context) {
		AtomicLong active = context.get(ACTIVE_COUNTER_KEY);
		if (active != null) {
			active.decrementAndGet();
		}
		Tags tags = identityTags(context);
		Duration timeToFirstToken = context.getTimeToFirstToken();
		if (timeToFirstToken != null) {
			Timer.builder(TIME_TO_FIRST_TOKEN)
				.description("Time from the start of an LLM call to the first chunk carrying generated content")
				.tags(tags)
				.register(this.registry)
				.record(timeToFirstToken);
		}
		double timePerOutputToken = context.getTimePerOutputTokenNanos();
		if (!Double.isNaN(timePerOutputToken)) {
			Timer.builder(TIME_PER_OUTPUT_TOKEN)
				.description("Mean gap between output tokens after the first (decode speed)")
				.tags(tags)
				.register(this.registry)
				.record(Math.round(timePerOutputToken), TimeUnit.NANOSECONDS);
		}
		double tokenRate = context.getTokenGenerationRate();
		if (!Double.isNaN(tokenRate)) {
			DistributionSummary.builder(TOKEN_GENERATION_RATE)
				.description("Output tokens per second after the first token (time to first token excluded)")
				.tags(tags)
				.register(this.registry)
				.record(tokenRate);
		}
		countTokens(tags, "input", context.getInputTokens());
		countTokens(tags, "output", context.getOutputTokens());
		for (SlowCallReason reason : context.getSlowReasons()) {
			Counter.builder(SLOW_REQUESTS)
				.description("LLM calls slower than the configured thresholds")
				.tags(tags)
				.tag("reason", reason.tagValue())
				.register(this.registry)
				.increment();
		}
	}

	private void countTokens(Tags tags, String type, Long tokens) {
		if (tokens != null && tokens > 0) {
			Counter.builder(TOKENS)
				.description("Tokens of LLM calls by type (input, output); output tokens may be estimated")
				.tags(tags)
				.tag("type", type)
				.register(this.registry)
				.increment(tokens);
		}
	}

	private static Tags identityTags(LlmCallContext context) {
		List<Tag> tags = new ArrayList<>(4);
		for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
			if (!OUTCOME_KEYS.contains(keyValue.getKey())) {
				tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
			}
		}
		return Tags.of(tags);
	}

}
