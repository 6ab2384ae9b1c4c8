package io.llmmonitor.observation;

import java.util.HashMap;
import java.util.Map;

import io.llmmonitor.cost.CallCost;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subclass of the default convention changes one key value by overriding its one method, and
 * every other key value stays as the default makes it.
 */
class DefaultLlmCallObservationConventionTests {

	private final DefaultLlmCallObservationConvention defaults = new DefaultLlmCallObservationConvention();

	@Test
	void overridingOneHighCardinalityMethodChangesExactlyThatKeyValue() {
		LlmCallContext context = endedCall();
		DefaultLlmCallObservationConvention custom = new DefaultLlmCallObservationConvention() {
			@Override
			protected KeyValue requestModel(LlmCallContext context) {
				return KeyValue.of("gen_ai.request.model", "my-deployment");
			}
		};

		Map<String, String> expected = asMap(this.defaults.getHighCardinalityKeyValues(context));
		assertThat(expected).containsEntry("gen_ai.request.model", "gpt-4o").hasSizeGreaterThan(10);
		expected.put("gen_ai.request.model", "my-deployment");
		assertKeyValues(custom, context, asMap(this.defaults.getLowCardinalityKeyValues(context)), expected);
	}

	@Test
	void overridingOneMethodWithNullLeavesOnlyThatKeyOut() {
		LlmCallContext context = endedCall();
		DefaultLlmCallObservationConvention custom = new DefaultLlmCallObservationConvention() {
			@Override
			protected @Nullable KeyValue costUsd(LlmCallContext context) {
				return null;
			}
		};

		Map<String, String> expected = asMap(this.defaults.getHighCardinalityKeyValues(context));
		assertThat(expected).containsKey("llm.cost.usd");
		expected.remove("llm.cost.usd");
		assertKeyValues(custom, context, asMap(this.defaults.getLowCardinalityKeyValues(context)), expected);
	}

	@Test
	void overridingOneLowCardinalityMethodChangesExactlyThatTag() {
		LlmCallContext context = endedCall();
		DefaultLlmCallObservationConvention custom = new DefaultLlmCallObservationConvention() {
			@Override
			protected KeyValue providerTag(LlmCallContext context) {
				return KeyValue.of("provider", "azure-" + context.getProviderTag());
			}
		};

		Map<String, String> expected = asMap(this.defaults.getLowCardinalityKeyValues(context));
		assertThat(expected).containsOnlyKeys("model", "provider", "operation", "status", "error_type");
		expected.put("provider", "azure-openai");
		assertKeyValues(custom, context, expected, asMap(this.defaults.getHighCardinalityKeyValues(context)));
	}

	private static void assertKeyValues(DefaultLlmCallObservationConvention convention, LlmCallContext context,
			Map<String, String> lowCardinality, Map<String, String> highCardinality) {
		assertThat(asMap(convention.getLowCardinalityKeyValues(context))).isEqualTo(lowCardinality);
		assertThat(asMap(convention.getHighCardinalityKeyValues(context))).isEqualTo(highCardinality);
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
