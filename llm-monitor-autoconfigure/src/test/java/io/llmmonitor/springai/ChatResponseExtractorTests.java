package io.llmmonitor.springai;

import java.util.List;
import java.util.Map;

import com.openai.models.completions.CompletionUsage;
import io.llmmonitor.usage.LlmUsage;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ChatResponseExtractor} reads of Spring AI responses beyond text: reasoning and
 * cached tokens, as Spring AI's OpenAI model reports them, and streamed reasoning text.
 */
class ChatResponseExtractorTests {

	private final ChatResponseExtractor extractor = new ChatResponseExtractor();

	@Test
	void readsReasoningTokensFromOpenAisNativeUsageAndCachedTokensFromSpringAisUsage() {
		// as OpenAiChatModel builds it: the SDK's CompletionUsage as native usage, cached tokens read from it
		CompletionUsage openAi = CompletionUsage.builder()
			.promptTokens(1_200)
			.completionTokens(2_100)
			.totalTokens(3_300)
			.promptTokensDetails(CompletionUsage.PromptTokensDetails.builder().cachedTokens(1_024).build())
			.completionTokensDetails(CompletionUsage.CompletionTokensDetails.builder().reasoningTokens(2_000).build())
			.build();
		Usage usage = new DefaultUsage(1_200, 2_100, 3_300, openAi, 1_024L, null);

		assertThat(this.extractor.usage(response(new AssistantMessage("Hi"), usage)))
			.isEqualTo(new LlmUsage(1_200L, 2_100L, 2_000L, 1_024L, null));
	}

	@Test
	void readsCacheWritesAndAMapsReasoningTokens() {
		Usage usage = new DefaultUsage(500, 90, 590,
				Map.of("completion_tokens_details", Map.of("reasoning_tokens", 60)), 100L, 300L);

		assertThat(this.extractor.usage(response(new AssistantMessage("Hi"), usage)))
			.isEqualTo(new LlmUsage(500L, 90L, 60L, 100L, 300L));
	}

	@Test
	void anthropicsCacheReadsAndWritesAreAddedToItsInputTokensWhichLeaveThemOut() {
		// as Spring AI's AnthropicChatModel builds it: prompt tokens are Anthropic's input_tokens
		AnthropicApiUsage anthropic = new AnthropicApiUsage(10, 90, 20_000, 100_000);
		Usage usage = new DefaultUsage(10, 90, 100, anthropic);

		assertThat(this.extractor.usage(response(new AssistantMessage("Hi"), usage)))
			.isEqualTo(new LlmUsage(120_010L, 90L, null, 100_000L, 20_000L));
		// the cache counts also given to Spring AI's usage
		assertThat(this.extractor
			.usage(response(new AssistantMessage("Hi"), new DefaultUsage(10, 90, 100, anthropic, 100_000L, 20_000L))))
			.isEqualTo(new LlmUsage(120_010L, 90L, null, 100_000L, 20_000L));
	}

	/** The shape of Spring AI's {@code AnthropicApi.Usage}. */
	public record AnthropicApiUsage(Integer inputTokens, Integer outputTokens, Integer cacheCreationInputTokens,
			Integer cacheReadInputTokens) {
	}

	@Test
	void aUsageWithoutDetailsHasNone() {
		assertThat(this.extractor.usage(response(new AssistantMessage("Hi"), new DefaultUsage(12, 7))))
			.isEqualTo(LlmUsage.of(12, 7));
	}

	@Test
	void readsStreamedReasoningTextApartFromTheContent() {
		AssistantMessage thinking = AssistantMessage.builder()
			.content("")
			.properties(Map.of(ChatResponseExtractor.REASONING_CONTENT_METADATA, "Let me think"))
			.build();

		ChatResponse chunk = response(thinking, new DefaultUsage(0, 0));
		assertThat(this.extractor.reasoningContent(chunk)).hasToString("Let me think");
		assertThat(this.extractor.content(chunk)).isNullOrEmpty();
		assertThat(this.extractor.reasoningContent(response(new AssistantMessage("Hi"), new DefaultUsage(0, 0))))
			.isNull();
	}

	private static ChatResponse response(AssistantMessage message, Usage usage) {
		return new ChatResponse(List.of(new Generation(message)),
				ChatResponseMetadata.builder().model("o4-mini").usage(usage).build());
	}

}
