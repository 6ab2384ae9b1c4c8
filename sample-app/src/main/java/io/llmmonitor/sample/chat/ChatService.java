package io.llmmonitor.sample.chat;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.sample.client.OpenAiChatClient;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletion;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionChunk;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * The LLM calls of the sample, monitored by annotation: the model comes from the request.
 */
@Service
public class ChatService {

	private final OpenAiChatClient client;

	public ChatService(OpenAiChatClient client) {
		this.client = client;
	}

	@MonitoredLlmCall(model = "#model", provider = "${sample.llm.provider}")
	public Flux<ChatCompletionChunk> stream(String model, String prompt) {
		return this.client.stream(ChatCompletionRequest.of(model, prompt, true));
	}

	@MonitoredLlmCall(model = "#model", provider = "${sample.llm.provider}")
	public Mono<ChatCompletion> complete(String model, String prompt) {
		return this.client.complete(ChatCompletionRequest.of(model, prompt, false));
	}

}
