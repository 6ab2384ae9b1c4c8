package io.llmmonitor.autoconfigure;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.responses.Response;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.openai.ChatCompletionChunkExtractor;
import io.llmmonitor.openai.ChatCompletionExtractor;
import io.llmmonitor.openai.ResponseExtractor;
import io.llmmonitor.openai.ResponseStreamEventExtractor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}): its chat completions, streamed
 * chunks, Responses API results and stream events are read exactly (usage, response model, finish
 * reason) by calls monitored with {@code @MonitoredLlmCall}, {@code LlmMonitor} or
 * {@code ReactiveLlmMonitor}.
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class)
@ConditionalOnClass(ChatCompletion.class)
@ConditionalOnBean(LlmMonitor.class)
public final class LlmMonitorOpenAiSdkAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChatCompletionExtractor llmOpenAiChatCompletionExtractor() {
		return new ChatCompletionExtractor();
	}

	@Bean
	@ConditionalOnMissingBean
	ChatCompletionChunkExtractor llmOpenAiChatCompletionChunkExtractor() {
		return new ChatCompletionChunkExtractor();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Response.class)
	static class ResponsesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ResponseExtractor llmOpenAiResponseExtractor() {
			return new ResponseExtractor();
		}

		@Bean
		@ConditionalOnMissingBean
		ResponseStreamEventExtractor llmOpenAiResponseStreamEventExtractor() {
			return new ResponseStreamEventExtractor();
		}

	}

}
