package io.llmmonitor.openai;

import java.util.function.Supplier;

import com.openai.models.ResponsesModel;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseUsage;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * Reads fields of the OpenAI SDK's models, which throw when a required field is missing or
 * malformed: a missing field is {@code null} here, so that one odd chunk costs one figure, not
 * the others.
 */
final class OpenAiFields {

	private OpenAiFields() {
	}

	static <T> @Nullable T orNull(Supplier<@Nullable T> field) {
		try {
			return field.get();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	static @Nullable LlmUsage usage(@Nullable CompletionUsage usage) {
		if (usage == null) {
			return null;
		}
		Long input = orNull(usage::promptTokens);
		Long output = orNull(usage::completionTokens);
		if (input == null && output == null) {
			return null;
		}
		CompletionUsage.PromptTokensDetails prompt = orNull(() -> usage.promptTokensDetails().orElse(null));
		CompletionUsage.CompletionTokensDetails completion = orNull(
				() -> usage.completionTokensDetails().orElse(null));
		return new LlmUsage(input, output)
			.withReasoningTokens(
					(completion != null) ? counted(orNull(() -> completion.reasoningTokens().orElse(null))) : null)
			.withCachedInputTokens((prompt != null) ? counted(orNull(() -> prompt.cachedTokens().orElse(null))) : null)
			.withCacheCreationInputTokens(
					(prompt != null) ? counted(orNull(() -> prompt.cacheWriteTokens().orElse(null))) : null);
	}

	static @Nullable LlmUsage usage(Response response) {
		ResponseUsage usage = orNull(() -> response.usage().orElse(null));
		if (usage == null) {
			return null;
		}
		Long input = orNull(usage::inputTokens);
		Long output = orNull(usage::outputTokens);
		if (input == null && output == null) {
			return null;
		}
		ResponseUsage.InputTokensDetails inputDetails = orNull(usage::inputTokensDetails);
		ResponseUsage.OutputTokensDetails outputDetails = orNull(usage::outputTokensDetails);
		return new LlmUsage(input, output)
			.withReasoningTokens((outputDetails != null) ? counted(orNull(outputDetails::reasoningTokens)) : null)
			.withCachedInputTokens((inputDetails != null) ? counted(orNull(inputDetails::cachedTokens)) : null)
			.withCacheCreationInputTokens(
					(inputDetails != null) ? counted(orNull(inputDetails::cacheWriteTokens)) : null);
	}

	/**
	 * A detail count as the usage SPI takes it: {@code null} when absent or 0, as the API reports 0
	 * for details that do not apply (no cache hit, no reasoning model).
	 */
	private static @Nullable Long counted(@Nullable Long tokens) {
		return (tokens != null && tokens > 0) ? tokens : null;
	}

	static @Nullable String model(Response response) {
		ResponsesModel model = orNull(response::model);
		if (model == null) {
			return null;
		}
		if (model.isString()) {
			return model.asString();
		}
		return model.isChat() ? model.asChat().asString() : null;
	}

	/** Why a response ended: the reason it is incomplete, else its status ({@code completed}, ...). */
	static @Nullable String finishReason(Response response) {
		String incomplete = orNull(() -> response.incompleteDetails()
			.flatMap(Response.IncompleteDetails::reason)
			.map(Response.IncompleteDetails.Reason::asString)
			.orElse(null));
		return (incomplete != null) ? incomplete
				: orNull(() -> response.status().map((status) -> status.asString()).orElse(null));
	}

	static @Nullable String text(@Nullable String value) {
		return (value != null && !value.isEmpty()) ? value : null;
	}

}
