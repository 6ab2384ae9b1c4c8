package io.llmmonitor.quality;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finish reasons of each provider and client library, as they arrive on the call context.
 */
class FinishReasonTests {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({
			// OpenAI (Chat Completions, Java SDK, Spring AI lower-cases its STOP, LENGTH, ...)
			"stop, STOP", "length, LENGTH", "content_filter, CONTENT_FILTER", "tool_calls, TOOL_CALLS",
			"function_call, TOOL_CALLS",
			// OpenAI Responses API: incomplete_details.reason, else status
			"max_output_tokens, LENGTH", "completed, STOP", "incomplete, OTHER", "failed, OTHER",
			// Anthropic
			"end_turn, STOP", "max_tokens, LENGTH", "stop_sequence, STOP", "tool_use, TOOL_CALLS",
			"refusal, CONTENT_FILTER", "pause_turn, OTHER",
			// Gemini, Bedrock, Mistral, Cohere
			"SAFETY, CONTENT_FILTER", "RECITATION, CONTENT_FILTER", "MAX_TOKENS, LENGTH",
			"guardrail_intervened, CONTENT_FILTER", "content_filtered, CONTENT_FILTER", "model_length, LENGTH",
			"COMPLETE, STOP", "error, OTHER",
			// LangChain4j's FinishReason, lower-cased by its extractor
			"tool_execution, TOOL_CALLS", "other, OTHER",
			// anything else, in any case and with spaces around
			"' Length ', LENGTH", "'', OTHER", "something_new, OTHER" })
	void normalisesProviderReasons(String providerReason, FinishReason expected) {
		assertThat(FinishReason.of(providerReason)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "STOP, stop", "LENGTH, length", "CONTENT_FILTER, content_filter", "TOOL_CALLS, tool_calls",
			"OTHER, other" })
	void tagValues(FinishReason reason, String tagValue) {
		assertThat(reason.tagValue()).isEqualTo(tagValue);
	}

}
