package io.llmmonitor.langchain4j;

import java.util.Locale;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * Reads LangChain4j {@link ChatResponse}s of blocking calls: the text of the AI message, the token
 * usage, the model that answered and the finish reason ({@code stop}, {@code length},
 * {@code tool_execution}, {@code content_filter}, {@code other}).
 */
public class LangChain4jChatResponseExtractor implements LlmResponseExtractor<ChatResponse> {

	@Override
	public Class<ChatResponse> responseType() {
		return ChatResponse.class;
	}

	@Override
	public @Nullable CharSequence content(ChatResponse response) {
		return (response.aiMessage() != null) ? response.aiMessage().text() : null;
	}

	@Override
	public @Nullable LlmUsage usage(ChatResponse response) {
		return usageOf(response);
	}

	@Override
	public @Nullable String responseModel(ChatResponse response) {
		String model = response.modelName();
		return (model != null && !model.isEmpty()) ? model : null;
	}

	@Override
	public @Nullable String finishReason(ChatResponse response) {
		FinishReason reason = response.finishReason();
		return (reason != null) ? reason.name().toLowerCase(Locale.ROOT) : null;
	}

	static @Nullable LlmUsage usageOf(ChatResponse response) {
		TokenUsage usage = response.tokenUsage();
		if (usage == null) {
			return null;
		}
		Long input = counted(usage.inputTokenCount());
		Long output = counted(usage.outputTokenCount());
		return (input == null && output == null) ? null : new LlmUsage(input, output);
	}

	private static @Nullable Long counted(@Nullable Integer tokens) {
		return (tokens != null && tokens >= 0) ? tokens.longValue() : null;
	}

}
