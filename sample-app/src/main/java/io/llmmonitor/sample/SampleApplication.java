package io.llmmonitor.sample;

import io.llmmonitor.sample.client.OpenAiChatClient;
import io.llmmonitor.sample.client.SampleLlmProperties;
import io.llmmonitor.sample.demo.DemoTraffic;
import io.llmmonitor.sample.demo.DemoTrafficProperties;
import io.llmmonitor.sample.openai.OpenAiResponseExtractors;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A chat service monitored by llm-monitor, with a simulated model server built in.
 */
@SpringBootApplication
@EnableConfigurationProperties({ SampleLlmProperties.class, DemoTrafficProperties.class })
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	@Bean
	OpenAiChatClient openAiChatClient(WebClient.Builder builder, SampleLlmProperties properties, Environment environment,
			JsonMapper jsonMapper) {
		return new OpenAiChatClient(builder, properties, environment, jsonMapper);
	}

	@Bean
	OpenAiResponseExtractors.ChunkExtractor openAiChunkExtractor() {
		return new OpenAiResponseExtractors.ChunkExtractor();
	}

	@Bean
	OpenAiResponseExtractors.CompletionExtractor openAiCompletionExtractor() {
		return new OpenAiResponseExtractors.CompletionExtractor();
	}

	@Bean
	@ConditionalOnBooleanProperty("sample.demo-traffic.enabled")
	DemoTraffic demoTraffic(DemoTrafficProperties properties, WebClient.Builder webClientBuilder) {
		return new DemoTraffic(properties, webClientBuilder);
	}

}
