package io.llmmonitor.docs;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code llm_*} meter of llm-monitor, in one place: its name (dot-separated, as
 * registered; Prometheus scrapes {@code llm.tokens} counted in no unit as {@code llm_tokens_total}),
 * base unit, type, description (the {@code # HELP} line) and tag keys. The handlers register
 * their meters from these entries, so that names and descriptions cannot drift apart.
 */
public enum LlmMeters implements MeterDocumentation {

	/** Whole LLM call, registered by Spring Boot's meter handler from the {@code llm.request.duration} observation. */
	REQUEST_DURATION(LlmMeterNames.REQUEST_DURATION, null, Meter.Type.TIMER,
			"Duration of LLM calls, from the call or subscription to completion, by status and error type",
			KeySets.CALL, new KeyName[] { Keys.STATUS, Keys.ERROR_TYPE }),

	/** The long task timer twin of {@link #REQUEST_DURATION}. */
	REQUEST_DURATION_ACTIVE(LlmMeterNames.REQUEST_DURATION_ACTIVE, null, Meter.Type.LONG_TASK_TIMER,
			"LLM calls in flight and how long they have been running", KeySets.CALL),

	/** {@code @MonitoredEndpoint} invocations, from the {@code llm.endpoint.duration} observation. */
	ENDPOINT_DURATION(LlmMeterNames.ENDPOINT_DURATION, null, Meter.Type.TIMER,
			"Duration of @MonitoredEndpoint invocations, reactive returns timed to completion, by status",
			new KeyName[] { Keys.ENDPOINT, Keys.STATUS }),

	/** The long task timer twin of {@link #ENDPOINT_DURATION}. */
	ENDPOINT_DURATION_ACTIVE(LlmMeterNames.ENDPOINT_DURATION_ACTIVE, null, Meter.Type.LONG_TASK_TIMER,
			"@MonitoredEndpoint invocations in flight and how long they have been running",
			new KeyName[] { Keys.ENDPOINT }),

	/** Time to first token, scraped as {@code llm_time_to_first_token_seconds}. */
	TIME_TO_FIRST_TOKEN(LlmMeterNames.TIME_TO_FIRST_TOKEN, null, Meter.Type.TIMER,
			"Time from the start of an LLM call to the first chunk carrying generated content", KeySets.PER_MODEL),

	/** Mean gap between output tokens after the first, {@code llm_time_per_output_token_seconds}. */
	TIME_PER_OUTPUT_TOKEN(LlmMeterNames.TIME_PER_OUTPUT_TOKEN, null, Meter.Type.TIMER,
			"Mean gap between output tokens after the first (decode speed)", KeySets.PER_MODEL),

	/** Output tokens per second after the first token, {@code llm_token_generation_rate}. */
	TOKEN_GENERATION_RATE(LlmMeterNames.TOKEN_GENERATION_RATE, null, Meter.Type.DISTRIBUTION_SUMMARY,
			"Output tokens per second after the first token (time to first token excluded)", KeySets.PER_MODEL),

	/**
	 * Tokens by {@code type}, {@code llm_tokens_total}: {@code input} and {@code output}, and where
	 * the provider reports them {@code reasoning} (part of output) and {@code cached_input} (part of
	 * input).
	 */
	TOKENS(LlmMeterNames.TOKENS, null, Meter.Type.COUNTER,
			"Tokens of LLM calls by type (input, output; reasoning is part of output and cached_input part of "
					+ "input, where the provider reports them); output tokens may be estimated",
			KeySets.CALL, new KeyName[] { Keys.TYPE }),

	/**
	 * Input and output tokens of each call by {@code type}, {@code llm_tokens_per_call}: the
	 * distribution that the drift rules compare. Fixed buckets, powers of 4 from 16 to 262144.
	 */
	TOKENS_PER_CALL(LlmMeterNames.TOKENS_PER_CALL, null, Meter.Type.DISTRIBUTION_SUMMARY,
			"Input and output tokens of each LLM call, by type", KeySets.PER_MODEL, new KeyName[] { Keys.TYPE }),

	/**
	 * Cost in US dollars by {@code type}, {@code llm_cost_usd_total}; needs prices. The types add up
	 * to the cost: {@code input}, {@code output} (reasoning included) and, for models with a
	 * cached-input price, {@code cached_input}.
	 */
	COST(LlmMeterNames.COST, "usd", Meter.Type.COUNTER,
			"Cost of LLM calls in US dollars by token type (input, cached_input, output; the types add up to "
					+ "the cost), from llm.monitor.pricing",
			KeySets.CALL, new KeyName[] { Keys.TYPE }),

	/** Calls in flight, {@code llm_active_requests}. */
	ACTIVE_REQUESTS(LlmMeterNames.ACTIVE_REQUESTS, null, Meter.Type.GAUGE, "LLM calls in flight, streams included",
			KeySets.CALL),

	/**
	 * Failed calls by {@code error_type} and {@code category}, {@code llm_errors_total}. A counter of
	 * its own, not a tag of {@code llm_request_duration_seconds}, whose histogram series it would
	 * multiply.
	 */
	ERRORS(LlmMeterNames.ERRORS, null, Meter.Type.COUNTER,
			"Failed LLM calls by error type and category (rate_limited, timeout, auth, bad_request, "
					+ "context_length, content_filter, server_error, network, other)",
			KeySets.CALL, new KeyName[] { Keys.ERROR_TYPE, Keys.CATEGORY }),

	/** Slow calls by {@code reason}, {@code llm_slow_requests_total}. */
	SLOW_REQUESTS(LlmMeterNames.SLOW_REQUESTS, null, Meter.Type.COUNTER, "LLM calls slower than the configured thresholds",
			KeySets.CALL, new KeyName[] { Keys.REASON }),

	/** Calls by why generation stopped, {@code llm_finish_reasons_total} (quality signals). */
	FINISH_REASONS(LlmMeterNames.FINISH_REASONS, null, Meter.Type.COUNTER,
			"LLM calls by why generation stopped: stop, length (truncated), content_filter, tool_calls, other",
			KeySets.CALL, new KeyName[] { Keys.FINISH_REASON }),

	/** Successful calls without text nor output token, {@code llm_empty_responses_total}. */
	EMPTY_RESPONSES(LlmMeterNames.EMPTY_RESPONSES, null, Meter.Type.COUNTER,
			"Successful LLM calls that returned no text and no output token", KeySets.CALL),

	/** Answers matching a refusal pattern, {@code llm_refusals_total}. */
	REFUSALS(LlmMeterNames.REFUSALS, null, Meter.Type.COUNTER,
			"Analysed LLM answers that match a refusal pattern (llm.monitor.quality)", KeySets.CALL),

	/** Share of repeated word n-grams of each analysed answer, {@code llm_response_repetition_ratio}. */
	REPETITION_RATIO(LlmMeterNames.REPETITION_RATIO, null, Meter.Type.DISTRIBUTION_SUMMARY,
			"Share of repeated word n-grams of each analysed LLM answer, 0 to 1; the count is the number of "
					+ "analysed answers",
			KeySets.CALL),

	/** Analyses dropped on a full queue, {@code llm_quality_analyses_dropped_total}. */
	QUALITY_ANALYSES_DROPPED(LlmMeterNames.QUALITY_ANALYSES_DROPPED, null, Meter.Type.COUNTER,
			"Answer analyses (refusal, repetition) dropped because the queue of "
					+ "llm.monitor.quality.queue-capacity analyses was full"),

	/** Users' feedback scores, {@code llm_feedback_score}. */
	FEEDBACK_SCORE(LlmMeterNames.FEEDBACK_SCORE, null, Meter.Type.DISTRIBUTION_SUMMARY,
			"Users' feedback on LLM answers, from 0 (bad) to 1 (good; a thumbs up)",
			new KeyName[] { Keys.MODEL, Keys.PROVIDER }),

	/** The configured budgets, {@code llm_budget_usd}. */
	BUDGET(LlmMeterNames.BUDGET, "usd", Meter.Type.GAUGE,
			"LLM spend budget in US dollars by period (day: last 24 h, month: last 30 days) and model (* for all "
					+ "models), from llm.monitor.budget",
			new KeyName[] { Keys.PERIOD, Keys.MODEL }),

	/** GPU utilization, {@code llm_gpu_utilization_ratio}, when {@code nvidia-smi} exists. */
	GPU_UTILIZATION(LlmMeterNames.GPU_UTILIZATION, "ratio", Meter.Type.GAUGE, "Share of time a kernel ran on the GPU",
			KeySets.GPU),

	/** {@code llm_gpu_memory_used_bytes}. */
	GPU_MEMORY_USED(LlmMeterNames.GPU_MEMORY_USED, "bytes", Meter.Type.GAUGE, "GPU memory in use", KeySets.GPU),

	/** {@code llm_gpu_memory_total_bytes}. */
	GPU_MEMORY_TOTAL(LlmMeterNames.GPU_MEMORY_TOTAL, "bytes", Meter.Type.GAUGE, "GPU memory in all", KeySets.GPU),

	/** {@code llm_gpu_temperature_celsius}. */
	GPU_TEMPERATURE(LlmMeterNames.GPU_TEMPERATURE, "celsius", Meter.Type.GAUGE, "GPU core temperature", KeySets.GPU),

	/** {@code llm_gpu_power_watts}. */
	GPU_POWER(LlmMeterNames.GPU_POWER, "watts", Meter.Type.GAUGE, "GPU power draw", KeySets.GPU);

	private final String name;

	private final @Nullable String baseUnit;

	private final Meter.Type type;

	private final String description;

	private final KeyName[] keyNames;

	LlmMeters(String name, @Nullable String baseUnit, Meter.Type type, String description, KeyName[]... keyNames) {
		this.name = name;
		this.baseUnit = baseUnit;
		this.type = type;
		this.description = description;
		this.keyNames = KeyName.merge(keyNames);
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public @Nullable String getBaseUnit() {
		return this.baseUnit;
	}

	@Override
	public Meter.Type getType() {
		return this.type;
	}

	@Override
	public KeyName[] getKeyNames() {
		return this.keyNames.clone();
	}

	/** The meter's description: its {@code # HELP} line in Prometheus. */
	public String getDescription() {
		return this.description;
	}

	/** The tag keys that several meters share. */
	private static final class KeySets {

		static final KeyName[] CALL = { Keys.MODEL, Keys.PROVIDER, Keys.OPERATION };

		/** The per-token distributions: no {@code operation}, which no panel or rule reads there. */
		static final KeyName[] PER_MODEL = { Keys.MODEL, Keys.PROVIDER };

		static final KeyName[] GPU = { Keys.GPU, Keys.NAME };

	}

	/** The tag keys of the {@code llm_*} meters. */
	public enum Keys implements KeyName {

		/** Model of the call; {@code other} past {@code llm.monitor.max-models}. */
		MODEL("model"),
		/** Provider of the model. */
		PROVIDER("provider"),
		/** GenAI operation name. */
		OPERATION("operation"),
		/** {@code success}, {@code error} or {@code cancelled}. */
		STATUS("status"),
		/** Simple class name of the exception, {@code none} without one. */
		ERROR_TYPE("error_type"),
		/** Why the call failed: {@code rate_limited}, {@code timeout}, ... */
		CATEGORY("category"),
		/** Token type: {@code input}, {@code output}, {@code reasoning} or {@code cached_input}. */
		TYPE("type"),
		/** Why the call counts as slow. */
		REASON("reason"),
		/** Why generation stopped. */
		FINISH_REASON("finish_reason"),
		/** Name of the {@code @MonitoredEndpoint}. */
		ENDPOINT("endpoint"),
		/** Budget period: {@code day} or {@code month}. */
		PERIOD("period"),
		/** GPU index. */
		GPU("gpu"),
		/** GPU name. */
		NAME("name");

		private final String key;

		Keys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
