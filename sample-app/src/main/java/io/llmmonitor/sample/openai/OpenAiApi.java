package io.llmmonitor.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The part of the OpenAI chat completions wire format that the sample speaks, as served by
 * OpenAI, vLLM, Ollama and the built-in simulator.
 */
public final class OpenAiApi {

	/** Path of the chat completions endpoint, relative to the base URL. */
	public static final String CHAT_COMPLETIONS_PATH = "/v1/chat/completions";

	/** Data of the last server-sent event of a stream. */
	public static final String DONE = "[DONE]";

	private OpenAiApi() {
	}

	public record ChatMessage(String role, String content) {

		public static ChatMessage user(String content) {
			return new ChatMessage("user", content);
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream,
			@JsonProperty("stream_options") @Nullable StreamOptions streamOptions,
			@JsonProperty("max_tokens") @Nullable Integer maxTokens) {

		public static ChatCompletionRequest of(String model, String prompt, boolean stream) {
			return new ChatCompletionRequest(model, List.of(ChatMessage.user(prompt)), stream,
					stream ? new StreamOptions(true) : null, null);
		}

	}

	public record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
	}

	/**
	 * Token usage; reasoning models also report the reasoning tokens inside the completion tokens,
	 * and prompt caching the cached tokens inside the prompt tokens.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
			@JsonProperty("completion_tokens") long completionTokens, @JsonProperty("total_tokens") long totalTokens,
			@JsonProperty("prompt_tokens_details") @Nullable PromptTokensDetails promptTokensDetails,
			@JsonProperty("completion_tokens_details") @Nullable CompletionTokensDetails completionTokensDetails) {

		public static Usage of(long promptTokens, long completionTokens) {
			return new Usage(promptTokens, completionTokens, promptTokens + completionTokens, null, null);
		}

		/** This usage with its cached prompt tokens and reasoning completion tokens. */
		public Usage withDetails(long cachedTokens, long reasoningTokens) {
			return new Usage(this.promptTokens, this.completionTokens, this.totalTokens,
					new PromptTokensDetails(cachedTokens), new CompletionTokensDetails(reasoningTokens));
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record PromptTokensDetails(@JsonProperty("cached_tokens") @Nullable Long cachedTokens) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record CompletionTokensDetails(@JsonProperty("reasoning_tokens") @Nullable Long reasoningTokens) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ChatCompletionChunk(String id, String object, String model, List<ChunkChoice> choices,
			@Nullable Usage usage) {

		/** Text generated in this chunk, or {@code null}. */
		public @Nullable String content() {
			return this.choices.isEmpty() || this.choices.get(0).delta() == null ? null
					: this.choices.get(0).delta().content();
		}

		public @Nullable String finishReason() {
			return this.choices.isEmpty() ? null : this.choices.get(0).finishReason();
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ChunkChoice(int index, @Nullable Delta delta, @JsonProperty("finish_reason") @Nullable String finishReason) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Delta(@Nullable String role, @Nullable String content) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ChatCompletion(String id, String object, String model, List<Choice> choices, @Nullable Usage usage) {

		public String content() {
			return this.choices.isEmpty() ? "" : this.choices.get(0).message().content();
		}

	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Choice(int index, ChatMessage message, @JsonProperty("finish_reason") @Nullable String finishReason) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ErrorResponse(ErrorBody error) {
	}

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record ErrorBody(String message, String type) {
	}

}
