package io.llmmonitor.openai;

import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

import static io.llmmonitor.openai.OpenAiFields.orNull;

/**
 * Reads the Responses API's {@link ResponseStreamEvent}s of the OpenAI Java SDK: the text of
 * {@code response.output_text.delta} events, and usage, model and finish reason from the
 * response of {@code response.completed} (or {@code response.incomplete}).
 */
public class ResponseStreamEventExtractor implements LlmResponseExtractor<ResponseStreamEvent> {

	@Override
	public Class<ResponseStreamEvent> responseType() {
		return ResponseStreamEvent.class;
	}

	@Override
	public @Nullable CharSequence content(ResponseStreamEvent event) {
		return event.isOutputTextDelta() ? orNull(() -> event.asOutputTextDelta().delta()) : null;
	}

	/**
	 * Streamed reasoning: {@code response.reasoning_text.delta} events (the reasoning itself, of
	 * models that stream it), content that arrives in the timing window as text does. A reasoning
	 * summary ({@code response.reasoning_summary_text.delta}) is not: its few tokens stand for
	 * reasoning tokens that stay hidden, which counting it as streamed reasoning would time.
	 */
	@Override
	public @Nullable CharSequence reasoningContent(ResponseStreamEvent event) {
		return event.isReasoningTextDelta() ? OpenAiFields.text(orNull(() -> event.asReasoningTextDelta().delta()))
				: null;
	}

	@Override
	public @Nullable LlmUsage usage(ResponseStreamEvent event) {
		Response response = finalResponse(event);
		return (response != null) ? OpenAiFields.usage(response) : null;
	}

	@Override
	public @Nullable String responseModel(ResponseStreamEvent event) {
		Response response = finalResponse(event);
		return (response != null) ? OpenAiFields.text(OpenAiFields.model(response)) : null;
	}

	@Override
	public @Nullable String finishReason(ResponseStreamEvent event) {
		Response response = finalResponse(event);
		return (response != null) ? OpenAiFields.finishReason(response) : null;
	}

	private static @Nullable Response finalResponse(ResponseStreamEvent event) {
		if (event.isCompleted()) {
			return orNull(() -> event.asCompleted().response());
		}
		if (event.isIncomplete()) {
			return orNull(() -> event.asIncomplete().response());
		}
		return null;
	}

}
