package io.llmmonitor.openai;

import java.util.List;

import com.openai.models.chat.completions.ChatCompletion;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

import static io.llmmonitor.openai.OpenAiFields.orNull;

/**
 * Reads the OpenAI Java SDK's {@link ChatCompletion}: the text of the first choice, the usage,
 * the model that answered and the finish reason ({@code stop}, {@code length},
 * {@code tool_calls}, ...).
 */
public class ChatCompletionExtractor implements LlmResponseExtractor<ChatCompletion> {

	@Override
	public Class<ChatCompletion> responseType() {
		return ChatCompletion.class;
	}

	@Override
	public @Nullable CharSequence content(ChatCompletion completion) {
		ChatCompletion.Choice choice = firstChoice(completion);
		return (choice != null) ? orNull(() -> choice.message().content().orElse(null)) : null;
	}

	@Override
	public @Nullable LlmUsage usage(ChatCompletion completion) {
		return OpenAiFields.usage(orNull(() -> completion.usage().orElse(null)));
	}

	@Override
	public @Nullable String responseModel(ChatCompletion completion) {
		return OpenAiFields.text(orNull(completion::model));
	}

	@Override
	public @Nullable String finishReason(ChatCompletion completion) {
		ChatCompletion.Choice choice = firstChoice(completion);
		return (choice != null) ? orNull(() -> choice.finishReason().asString()) : null;
	}

	private static ChatCompletion.@Nullable Choice firstChoice(ChatCompletion completion) {
		List<ChatCompletion.Choice> choices = orNull(completion::choices);
		return (choices != null && !choices.isEmpty()) ? choices.get(0) : null;
	}

}
