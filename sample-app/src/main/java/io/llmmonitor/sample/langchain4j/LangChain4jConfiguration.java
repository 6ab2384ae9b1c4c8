package io.llmmonitor.sample.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import io.llmmonitor.sample.client.SampleLlmProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The {@code langchain4j} profile: LangChain4j's own OpenAI models against the same model server
 * (the built-in simulator, or {@code sample.llm.base-url}), and an AI service on top. No
 * annotation: llm-monitor monitors every LangChain4j model bean. The models are lazy, as the
 * simulator's address is known once this application listens.
 */
@Configuration(proxyBeanMethods = false)
@Profile("langchain4j")
class LangChain4jConfiguration {

	/** An AI service: its calls are monitored through the model it uses. */
	interface Assistant {

		String chat(String message);

	}

	@Bean
	@Lazy
	OpenAiChatModel langchain4jChatModel(SampleLlmProperties properties, Environment environment) {
		return OpenAiChatModel.builder()
			.baseUrl(baseUrl(properties, environment))
			.apiKey(apiKey(properties))
			.modelName(properties.getDefaultModel())
			.timeout(properties.getTimeout())
			.build();
	}

	@Bean
	@Lazy
	OpenAiStreamingChatModel langchain4jStreamingChatModel(SampleLlmProperties properties, Environment environment) {
		return OpenAiStreamingChatModel.builder()
			.baseUrl(baseUrl(properties, environment))
			.apiKey(apiKey(properties))
			.modelName(properties.getDefaultModel())
			.timeout(properties.getTimeout())
			.build();
	}

	@Bean
	@Lazy
	Assistant langchain4jAssistant(ChatModel langchain4jChatModel) {
		return AiServices.create(Assistant.class, langchain4jChatModel);
	}

	private static String baseUrl(SampleLlmProperties properties, Environment environment) {
		String baseUrl = properties.getBaseUrl();
		if (baseUrl.isBlank()) {
			baseUrl = "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port");
		}
		return baseUrl.replaceAll("/+$", "") + "/v1";
	}

	private static String apiKey(SampleLlmProperties properties) {
		return properties.getApiKey().isBlank() ? "none" : properties.getApiKey();
	}

}
