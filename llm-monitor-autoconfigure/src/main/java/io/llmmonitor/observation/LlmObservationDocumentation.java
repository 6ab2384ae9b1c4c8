package io.llmmonitor.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations llm-monitor makes. Low-cardinality keys become metric tags and span
 * attributes; high-cardinality keys (OpenTelemetry GenAI semantic conventions) go to spans only.
 * A low-cardinality value folded to {@code other} past its limit is repeated with its real value
 * among the high-cardinality keys, which spans take over the folded one.
 */
public enum LlmObservationDocumentation implements ObservationDocumentation {

	/**
	 * One call to an LLM: {@code llm_request_duration_seconds} and a CLIENT span named
	 * {@code "{operation} {model}"}, or {@code "{operation}"} when no model is known.
	 */
	LLM_CALL {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultLlmCallObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LlmCallLowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return LlmCallHighCardinalityKeys.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return LlmCallEvents.values();
		}
	},

	/**
	 * One invocation of a {@code @MonitoredEndpoint} method: {@code llm_endpoint_duration_seconds}
	 * and a span that the LLM calls inside it hang under.
	 */
	ENDPOINT {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultEndpointObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return EndpointLowCardinalityKeys.values();
		}
	};

	/** Metric tags of an LLM call. */
	public enum LlmCallLowCardinalityKeys implements KeyName {

		/**
		 * Requested model (or the response model when none was requested); {@code other} past
		 * {@code llm.monitor.max-models}.
		 */
		MODEL("model"),
		/** Provider of the model; {@code other} past {@code llm.monitor.max-providers}. */
		PROVIDER("provider"),
		/** GenAI operation name; {@code other} past {@code llm.monitor.max-operations}. */
		OPERATION("operation"),
		/** {@code success}, {@code error} or {@code cancelled}; set when the call ends. */
		STATUS("status"),
		/**
		 * Simple class name of the exception, {@code none} without one, {@code other} past
		 * {@code llm.monitor.max-error-types}; set when the call ends.
		 */
		ERROR_TYPE("error_type");

		private final String key;

		LlmCallLowCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** Span attributes of an LLM call, after the OpenTelemetry GenAI semantic conventions v1.41. */
	public enum LlmCallHighCardinalityKeys implements KeyName {

		OPERATION_NAME("gen_ai.operation.name"),
		PROVIDER_NAME("gen_ai.provider.name"),
		/** The model requested, else the one the response named; omitted when neither is known. */
		REQUEST_MODEL("gen_ai.request.model"),
		REQUEST_STREAM("gen_ai.request.stream"),
		/** Only when the response named a model. */
		RESPONSE_MODEL("gen_ai.response.model"),
		/** Only when the provider reported it. */
		USAGE_INPUT_TOKENS("gen_ai.usage.input_tokens"),
		/** Reported by the provider, or estimated: see {@link #USAGE_OUTPUT_TOKENS_SOURCE}. */
		USAGE_OUTPUT_TOKENS("gen_ai.usage.output_tokens"),
		/** Of the input tokens, those read from the provider's cache; only when the provider reported them. */
		USAGE_CACHE_READ_INPUT_TOKENS("gen_ai.usage.cache_read.input_tokens"),
		/** Of the input tokens, those written to the provider's cache; only when the provider reported them. */
		USAGE_CACHE_CREATION_INPUT_TOKENS("gen_ai.usage.cache_creation.input_tokens"),
		/** Of the output tokens, those spent on reasoning; only when the provider reported them. */
		USAGE_REASONING_OUTPUT_TOKENS("gen_ai.usage.reasoning.output_tokens"),
		/** {@code provider}, {@code tokenizer} or {@code chunks}: how the output tokens were counted. */
		USAGE_OUTPUT_TOKENS_SOURCE("llm.usage.output_tokens.source"),
		/** Seconds from start to the first content chunk, streams only. */
		TIME_TO_FIRST_CHUNK("gen_ai.response.time_to_first_chunk"),
		FINISH_REASONS("gen_ai.response.finish_reasons"),
		/** The call's cost in USD, only when its model has a price ({@code llm.monitor.pricing}). */
		COST_USD("llm.cost.usd"),
		/** Only on failure: the fully qualified class name of the exception. */
		ERROR_TYPE("error.type"),
		/** Why the call failed: {@code rate_limited}, {@code timeout}, ... (io.llmmonitor.error.ErrorCategory). */
		ERROR_CATEGORY("llm.error.category"),
		/** The prompt, only with {@code llm.monitor.capture-content.enabled=true}, secrets redacted. */
		INPUT_MESSAGES("gen_ai.input.messages"),
		/** The completion, only with {@code llm.monitor.capture-content.enabled=true}, secrets redacted. */
		OUTPUT_MESSAGES("gen_ai.output.messages");

		private final String key;

		LlmCallHighCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** Span events of an LLM call, each with the time it happened. */
	public enum LlmCallEvents implements Observation.Event {

		/** The first chunk carrying generated content arrived. */
		FIRST_TOKEN(LlmCallEvent.FIRST_TOKEN),
		/** A chunk carrying generated content arrived (per-token events, off by default, capped). */
		CONTENT_CHUNK(LlmCallEvent.CONTENT_CHUNK),
		/**
		 * A call of an automatic integration made inside this one (the same LLM call, see
		 * {@code LlmMonitor.automaticStarter}) failed.
		 */
		JOINED_CALL_ERROR(LlmCallEvent.JOINED_CALL_ERROR),
		/** The call was detected as slow. */
		SLOW_CALL(LlmCallEvent.SLOW_CALL);

		private final String name;

		LlmCallEvents(String name) {
			this.name = name;
		}

		@Override
		public String getName() {
			return this.name;
		}

	}

	/** Metric tags of an endpoint invocation. */
	public enum EndpointLowCardinalityKeys implements KeyName {

		/** Endpoint name; {@code other} past {@code llm.monitor.max-endpoints}. */
		ENDPOINT("endpoint"),
		/** {@code success}, {@code error} or {@code cancelled}; set when the call ends. */
		STATUS("status");

		private final String key;

		EndpointLowCardinalityKeys(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}
