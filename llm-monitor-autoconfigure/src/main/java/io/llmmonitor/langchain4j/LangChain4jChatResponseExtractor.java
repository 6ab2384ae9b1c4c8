package io.llmmonitor.langchain4j;

import java.util.Locale;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.llmmonitor.usage.ReflectiveAccessor;
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
		Long input = count(usage.inputTokenCount());
		Long output = count(usage.outputTokenCount());
		if (input == null && output == null) {
			return null;
		}
		// OpenAI's usage (OpenAiTokenUsage): details are parts of the counts
		Object inputDetails = INPUT_TOKENS_DETAILS.read(usage);
		Object outputDetails = OUTPUT_TOKENS_DETAILS.read(usage);
		Long reasoning = (outputDetails != null) ? counted(REASONING_TOKENS.read(outputDetails)) : null;
		Long cached = (inputDetails != null) ? counted(CACHED_TOKENS.read(inputDetails)) : null;
		Long cacheCreation = null;
		// Anthropic's usage (AnthropicTokenUsage): its input count leaves the cache out, the SPI's includes it
		Long cacheRead = counted(CACHE_READ_INPUT_TOKENS.read(usage));
		Long cacheWrite = counted(CACHE_CREATION_INPUT_TOKENS.read(usage));
		if (cacheRead != null || cacheWrite != null) {
			cached = cacheRead;
			cacheCreation = cacheWrite;
			input = ((input != null) ? input : 0) + ((cacheRead != null) ? cacheRead : 0)
					+ ((cacheWrite != null) ? cacheWrite : 0);
		}
		return new LlmUsage(input, output).withReasoningTokens(reasoning)
			.withCachedInputTokens(cached)
			.withCacheCreationInputTokens(cacheCreation);
	}

	private static final ReflectiveAccessor INPUT_TOKENS_DETAILS = ReflectiveAccessor.of("inputTokensDetails");

	private static final ReflectiveAccessor OUTPUT_TOKENS_DETAILS = ReflectiveAccessor.of("outputTokensDetails");

	private static final ReflectiveAccessor REASONING_TOKENS = ReflectiveAccessor.of("reasoningTokens");

	private static final ReflectiveAccessor CACHED_TOKENS = ReflectiveAccessor.of("cachedTokens");

	private static final ReflectiveAccessor CACHE_READ_INPUT_TOKENS = ReflectiveAccessor.of("cacheReadInputTokens");

	private static final ReflectiveAccessor CACHE_CREATION_INPUT_TOKENS = ReflectiveAccessor
		.of("cacheCreationInputTokens");

	private static @Nullable Long count(@Nullable Integer tokens) {
		return (tokens != null && tokens >= 0) ? tokens.longValue() : null;
	}

	/** A detail count: {@code null} when absent or 0, as providers report 0 for details that do not apply. */
	private static @Nullable Long counted(@Nullable Object tokens) {
		return (tokens instanceof Number number && number.longValue() > 0) ? number.longValue() : null;
	}

}
