package io.llmmonitor.springai;

import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClientResponse;

/**
 * Reads a Spring AI {@link ChatClientResponse} through the chat response it holds (see
 * {@link ChatResponseExtractor}).
 */
public class ChatClientResponseExtractor implements LlmResponseExtractor<ChatClientResponse> {

	private final ChatResponseExtractor chatResponses;

	public ChatClientResponseExtractor(ChatResponseExtractor chatResponses) {
		this.chatResponses = chatResponses;
	}

	@Override
	public Class<ChatClientResponse> responseType() {
		return ChatClientResponse.class;
	}

	@Override
	public @Nullable CharSequence content(ChatClientResponse response) {
		return (response.chatResponse() != null) ? this.chatResponses.content(response.chatResponse()) : null;
	}

	@Override
	public @Nullable CharSequence reasoningContent(ChatClientResponse response) {
		return (response.chatResponse() != null) ? this.chatResponses.reasoningContent(response.chatResponse()) : null;
	}

	@Override
	public @Nullable LlmUsage usage(ChatClientResponse response) {
		return (response.chatResponse() != null) ? this.chatResponses.usage(response.chatResponse()) : null;
	}

	@Override
	public @Nullable String responseModel(ChatClientResponse response) {
		return (response.chatResponse() != null) ? this.chatResponses.responseModel(response.chatResponse()) : null;
	}

	@Override
	public @Nullable String finishReason(ChatClientResponse response) {
		return (response.chatResponse() != null) ? this.chatResponses.finishReason(response.chatResponse()) : null;
	}

}
