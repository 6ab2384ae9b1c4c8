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

	@JsonIgnoreProperties(ignoreUnknown = true)
	public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
			@JsonProperty("completion_tokens") long completionTokens, @JsonProperty("total_tokens") long totalTokens) {

		public static Usage of(long promptTokens, long completionTokens) {
			return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
		}

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
