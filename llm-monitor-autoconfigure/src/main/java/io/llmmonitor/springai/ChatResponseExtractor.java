package io.llmmonitor.springai;

import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.util.StringUtils;

/**
 * Reads Spring AI {@link ChatResponse}s, whole or streamed: the text of the first generation, the
 * usage (when it counts something: streamed chunks often carry an empty one), the model that
 * answered and the finish reason.
 */
public class ChatResponseExtractor implements LlmResponseExtractor<ChatResponse> {

	@Override
	public Class<ChatResponse> responseType() {
		return ChatResponse.class;
	}

	@Override
	public @Nullable CharSequence content(ChatResponse response) {
		Generation generation = response.getResult();
		return (generation != null && generation.getOutput() != null) ? generation.getOutput().getText() : null;
	}

	@Override
	public @Nullable LlmUsage usage(ChatResponse response) {
		ChatResponseMetadata metadata = response.getMetadata();
		Usage usage = (metadata != null) ? metadata.getUsage() : null;
		if (usage == null) {
			return null;
		}
		Long input = counted(usage.getPromptTokens());
		Long output = counted(usage.getCompletionTokens());
		return (input == null && output == null) ? null : new LlmUsage(input, output);
	}

	@Override
	public @Nullable String responseModel(ChatResponse response) {
		ChatResponseMetadata metadata = response.getMetadata();
		return (metadata != null && StringUtils.hasText(metadata.getModel())) ? metadata.getModel() : null;
	}

	@Override
	public @Nullable String finishReason(ChatResponse response) {
		Generation generation = response.getResult();
		ChatGenerationMetadata metadata = (generation != null) ? generation.getMetadata() : null;
		String reason = (metadata != null) ? metadata.getFinishReason() : null;
		return StringUtils.hasText(reason) ? reason.toLowerCase(java.util.Locale.ROOT) : null;
	}

	/** Spring AI reports 0 for "not counted"; a real count of 0 tokens costs nothing either. */
	private static @Nullable Long counted(@Nullable Integer tokens) {
		return (tokens != null && tokens > 0) ? tokens.longValue() : null;
	}

}
