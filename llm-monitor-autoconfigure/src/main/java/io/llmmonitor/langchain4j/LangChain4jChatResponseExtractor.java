package io.llmmonitor.langchain4j;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Optional;

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
		Long input = count(usage.inputTokenCount());
		Long output = count(usage.outputTokenCount());
		if (input == null && output == null) {
			return null;
		}
		// OpenAI's usage (OpenAiTokenUsage): details are parts of the counts
		Object inputDetails = invoke(INPUT_TOKENS_DETAILS, usage);
		Object outputDetails = invoke(OUTPUT_TOKENS_DETAILS, usage);
		Long reasoning = (outputDetails != null) ? counted(invoke(REASONING_TOKENS, outputDetails)) : null;
		Long cached = (inputDetails != null) ? counted(invoke(CACHED_TOKENS, inputDetails)) : null;
		Long cacheCreation = null;
		// Anthropic's usage (AnthropicTokenUsage): its input count leaves the cache out, the SPI's includes it
		Long cacheRead = counted(invoke(CACHE_READ_INPUT_TOKENS, usage));
		Long cacheWrite = counted(invoke(CACHE_CREATION_INPUT_TOKENS, usage));
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

	private static final ClassValue<Optional<Method>> INPUT_TOKENS_DETAILS = accessor("inputTokensDetails");

	private static final ClassValue<Optional<Method>> OUTPUT_TOKENS_DETAILS = accessor("outputTokensDetails");

	private static final ClassValue<Optional<Method>> REASONING_TOKENS = accessor("reasoningTokens");

	private static final ClassValue<Optional<Method>> CACHED_TOKENS = accessor("cachedTokens");

	private static final ClassValue<Optional<Method>> CACHE_READ_INPUT_TOKENS = accessor("cacheReadInputTokens");

	private static final ClassValue<Optional<Method>> CACHE_CREATION_INPUT_TOKENS = accessor(
			"cacheCreationInputTokens");

	/**
	 * The accessor of the subclasses of {@link TokenUsage} that providers' modules add (only
	 * LangChain4j's core is a dependency): public, without parameters, found once per class.
	 */
	private static ClassValue<Optional<Method>> accessor(String name) {
		return new ClassValue<>() {
			@Override
			protected Optional<Method> computeValue(Class<?> type) {
				try {
					Method method = type.getMethod(name);
					return (method.getParameterCount() == 0) ? Optional.of(method) : Optional.empty();
				}
				catch (NoSuchMethodException | RuntimeException ex) {
					return Optional.empty();
				}
			}
		};
	}

	private static @Nullable Object invoke(ClassValue<Optional<Method>> accessor, Object target) {
		Method method = accessor.get(target.getClass()).orElse(null);
		if (method == null) {
			return null;
		}
		try {
			return method.invoke(target);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	private static @Nullable Long count(@Nullable Integer tokens) {
		return (tokens != null && tokens >= 0) ? tokens.longValue() : null;
	}

	/** A detail count: {@code null} when absent or 0, as providers report 0 for details that do not apply. */
	private static @Nullable Long counted(@Nullable Object tokens) {
		return (tokens instanceof Number number && number.longValue() > 0) ? number.longValue() : null;
	}

}
