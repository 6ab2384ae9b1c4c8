package io.llmmonitor.springai;

import java.util.Map;

import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.llmmonitor.usage.ReflectiveAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.util.StringUtils;

/**
 * Reads Spring AI {@link ChatResponse}s, whole or streamed: the text of the first generation, its
 * streamed reasoning text, the usage (when it counts something: streamed chunks often carry an
 * empty one) with its cached input tokens and, from the provider's native usage, its reasoning
 * tokens, the model that answered and the finish reason.
 */
public class ChatResponseExtractor implements LlmResponseExtractor<ChatResponse> {

	/** Where Spring AI's OpenAI model puts the reasoning text of a message ({@code reasoning_content}). */
	static final String REASONING_CONTENT_METADATA = "reasoningContent";

	/** OpenAI Java SDK {@code CompletionUsage#completionTokensDetails()}, when the native usage has it. */
	private static final ReflectiveAccessor COMPLETION_TOKENS_DETAILS = ReflectiveAccessor.of("completionTokensDetails");

	/** OpenAI Java SDK {@code CompletionTokensDetails#reasoningTokens()}. */
	private static final ReflectiveAccessor CACHE_READ_INPUT_TOKENS = ReflectiveAccessor.of("cacheReadInputTokens");

	private static final ReflectiveAccessor CACHE_CREATION_INPUT_TOKENS = ReflectiveAccessor.of("cacheCreationInputTokens");

	private static final ReflectiveAccessor REASONING_TOKENS = ReflectiveAccessor.of("reasoningTokens");

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
	public @Nullable CharSequence reasoningContent(ChatResponse response) {
		Generation generation = response.getResult();
		if (generation == null || generation.getOutput() == null) {
			return null;
		}
		Object reasoning = generation.getOutput().getMetadata().get(REASONING_CONTENT_METADATA);
		return (reasoning instanceof CharSequence text && text.length() > 0) ? text : null;
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
		if (input == null && output == null) {
			return null;
		}
		Object nativeUsage = usage.getNativeUsage();
		Long cacheRead = counted(usage.getCacheReadInputTokens());
		Long cacheWrite = counted(usage.getCacheWriteInputTokens());
		if (isAnthropic(nativeUsage)) {
			// Anthropic's input_tokens leaves the cache out, which the usage SPI's input count includes
			cacheRead = (cacheRead != null) ? cacheRead : counted(CACHE_READ_INPUT_TOKENS.read(nativeUsage));
			cacheWrite = (cacheWrite != null) ? cacheWrite : counted(CACHE_CREATION_INPUT_TOKENS.read(nativeUsage));
			if (input != null && (cacheRead != null || cacheWrite != null)) {
				input = input + ((cacheRead != null) ? cacheRead : 0) + ((cacheWrite != null) ? cacheWrite : 0);
			}
		}
		return new LlmUsage(input, output).withReasoningTokens(reasoningTokens(nativeUsage))
			.withCachedInputTokens(cacheRead)
			.withCacheCreationInputTokens(cacheWrite);
	}

	/** Whether the native usage is Anthropic's (its API's or its SDK's usage type). */
	private static boolean isAnthropic(@Nullable Object nativeUsage) {
		return nativeUsage != null && nativeUsage.getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("anthropic");
	}

	/**
	 * Reasoning tokens from the provider's native usage, which Spring AI's {@link Usage} does not
	 * carry: {@code completionTokensDetails().reasoningTokens()} of the OpenAI Java SDK, or
	 * {@code completion_tokens_details.reasoning_tokens} of a map.
	 */
	static @Nullable Long reasoningTokens(@Nullable Object nativeUsage) {
		if (nativeUsage instanceof Map<?, ?> map) {
			Object details = map.get("completion_tokens_details");
			return (details instanceof Map<?, ?> detailsMap) ? counted(detailsMap.get("reasoning_tokens")) : null;
		}
		Object details = (nativeUsage != null) ? COMPLETION_TOKENS_DETAILS.read(nativeUsage) : null;
		return (details != null) ? counted(REASONING_TOKENS.read(details)) : null;
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
	private static @Nullable Long counted(@Nullable Object tokens) {
		return (tokens instanceof Number number && number.longValue() > 0) ? number.longValue() : null;
	}

}
