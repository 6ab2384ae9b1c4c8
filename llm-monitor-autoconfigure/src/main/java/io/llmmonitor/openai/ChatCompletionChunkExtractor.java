package io.llmmonitor.openai;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

import static io.llmmonitor.openai.OpenAiFields.orNull;

/**
 * Reads the OpenAI Java SDK's streamed {@link ChatCompletionChunk}s: the text of the first
 * choice's delta, the usage of the last chunk (sent when the request asks for it with
 * {@code stream_options.include_usage}), the model and the finish reason.
 */
public class ChatCompletionChunkExtractor implements LlmResponseExtractor<ChatCompletionChunk> {

	@Override
	public Class<ChatCompletionChunk> responseType() {
		return ChatCompletionChunk.class;
	}

	@Override
	public @Nullable CharSequence content(ChatCompletionChunk chunk) {
		ChatCompletionChunk.Choice choice = firstChoice(chunk);
		return (choice != null) ? orNull(() -> choice.delta().content().orElse(null)) : null;
	}

	/**
	 * Streamed reasoning of OpenAI-compatible servers that send it in the delta's
	 * {@code reasoning_content} (DeepSeek, vLLM) or {@code reasoning}, which the SDK keeps as
	 * additional properties.
	 */
	@Override
	public @Nullable CharSequence reasoningContent(ChatCompletionChunk chunk) {
		ChatCompletionChunk.Choice choice = firstChoice(chunk);
		Map<String, JsonValue> extra = (choice != null) ? orNull(() -> choice.delta()._additionalProperties()) : null;
		if (extra == null || extra.isEmpty()) {
			return null;
		}
		String reasoning = text(extra.get("reasoning_content"));
		return (reasoning != null) ? reasoning : text(extra.get("reasoning"));
	}

	private static @Nullable String text(@Nullable JsonValue value) {
		if (value == null) {
			return null;
		}
		Optional<String> text = orNull(value::asString);
		return (text != null) ? OpenAiFields.text(text.orElse(null)) : null;
	}

	@Override
	public @Nullable LlmUsage usage(ChatCompletionChunk chunk) {
		return OpenAiFields.usage(orNull(() -> chunk.usage().orElse(null)));
	}

	@Override
	public @Nullable String responseModel(ChatCompletionChunk chunk) {
		return OpenAiFields.text(orNull(chunk::model));
	}

	@Override
	public @Nullable String finishReason(ChatCompletionChunk chunk) {
		ChatCompletionChunk.Choice choice = firstChoice(chunk);
		return (choice != null) ? orNull(() -> choice.finishReason().map((reason) -> reason.asString()).orElse(null))
				: null;
	}

	private static ChatCompletionChunk.@Nullable Choice firstChoice(ChatCompletionChunk chunk) {
		List<ChatCompletionChunk.Choice> choices = orNull(chunk::choices);
		return (choices != null && !choices.isEmpty()) ? choices.get(0) : null;
	}

}
