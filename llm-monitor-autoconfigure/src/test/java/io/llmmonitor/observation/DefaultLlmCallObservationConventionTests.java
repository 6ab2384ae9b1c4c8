package io.llmmonitor.observation;

import java.util.HashMap;
import java.util.Map;

import io.llmmonitor.cost.CallCost;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subclass of the default convention changes one key value by overriding its one method, and
 * every other key value stays as the default makes it.
 */
class DefaultLlmCallObservationConventionTests {

	private final DefaultLlmCallObservationConvention defaults = new DefaultLlmCallObservationConvention();

	/**
	 * The default's key values with the one change: {@code value} for {@code key}, or no
	 * {@code key} at all when {@code value} is empty.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource({ "requestModel, high, gen_ai.request.model, gpt-4o, my-deployment", "costUsd, high, llm.cost.usd, 0.003000,",
			"providerTag, low, provider, openai, azure-openai" })
	void overridingOneMethodChangesExactlyItsKeyValue(String method, String cardinality, String key,
			String defaultValue, @Nullable String value) {
		LlmCallContext context = endedCall();
		Map<String, String> low = asMap(this.defaults.getLowCardinalityKeyValues(context));
		Map<String, String> high = asMap(this.defaults.getHighCardinalityKeyValues(context));
		assertThat(low).containsOnlyKeys("model", "provider", "operation", "status", "error_type");
		assertThat(high).hasSizeGreaterThan(10);
		Map<String, String> changed = cardinality.equals("low") ? low : high;
		assertThat(changed).containsEntry(key, defaultValue);
		if (value != null) {
			changed.put(key, value);
		}
		else {
			changed.remove(key);
		}

		DefaultLlmCallObservationConvention custom = new OneOverride(method, value);
		assertThat(asMap(custom.getLowCardinalityKeyValues(context))).isEqualTo(low);
		assertThat(asMap(custom.getHighCardinalityKeyValues(context))).isEqualTo(high);
	}

	@Test
	void aRunningCallHasNoStatusNorErrorType() {
		LlmCallContext context = new LlmCallContext("gpt-4o", "openai", "chat", false);
		context.setModelTag("gpt-4o");
		context.setProviderTag("openai");
		context.setOperationTag("chat");

		assertThat(asMap(this.defaults.getLowCardinalityKeyValues(context))).containsOnlyKeys("model", "provider",
				"operation");
		assertThat(asMap(this.defaults.getHighCardinalityKeyValues(context))).containsOnlyKeys(
				"gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model", "gen_ai.request.stream");
	}

	/** A user's subclass that overrides one method, named, to give a value of its own or none. */
	private static final class OneOverride extends DefaultLlmCallObservationConvention {

		private final String method;

		private final @Nullable String value;

		OneOverride(String method, @Nullable String value) {
			this.method = method;
			this.value = value;
		}

		@Override
		protected @Nullable KeyValue requestModel(LlmCallContext context) {
			return this.method.equals("requestModel") ? changed("gen_ai.request.model") : super.requestModel(context);
		}

		@Override
		protected @Nullable KeyValue costUsd(LlmCallContext context) {
			return this.method.equals("costUsd") ? changed("llm.cost.usd") : super.costUsd(context);
		}

		@Override
		protected KeyValue providerTag(LlmCallContext context) {
			return this.method.equals("providerTag") ? changed("provider") : super.providerTag(context);
		}

		private @Nullable KeyValue changed(String key) {
			return (this.value != null) ? KeyValue.of(key, this.value) : null;
		}

	}

	/** A failed call whose every attribute is known, with its model folded to {@code other}. */
	private static LlmCallContext endedCall() {
		LlmCallContext context = new LlmCallContext("gpt-4o", "openai", "chat", true);
		context.setModelTag("other");
		context.setProviderTag("openai");
		context.setOperationTag("chat");
		context.setErrorTypeTag("IllegalStateException");
		context.setErrorCategory("server_error");
		context.setResponseModel("gpt-4o-2024-08-06");
		context.setInputTokens(12L);
		context.setOutputTokens(34, TokenCountSource.PROVIDER);
		context.setReasoningTokens(5L);
		context.setCachedInputTokens(6L);
		context.setCacheCreationInputTokens(7L);
		context.setCost(new CallCost(0.001, 0.002));
		context.setInputMessages("prompt");
		context.setOutputMessages("answer");
		context.addFinishReason("stop");
		context.setError(new IllegalStateException("boom"));
		context.markEnded(1_000_000, CallStatus.ERROR);
		return context;
	}

	private static Map<String, String> asMap(KeyValues keyValues) {
		Map<String, String> map = new HashMap<>();
		for (KeyValue keyValue : keyValues) {
			assertThat(map.put(keyValue.getKey(), keyValue.getValue())).as(keyValue.getKey()).isNull();
		}
		return map;
	}

}
