package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.springai.ChatClientMonitoringAdvisor;
import io.llmmonitor.springai.ChatClientResponseExtractor;
import io.llmmonitor.springai.ChatModelMonitoringInterceptor;
import io.llmmonitor.springai.ChatModelMonitoringPointcutAdvisor;
import io.llmmonitor.springai.ChatResponseExtractor;

import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Spring AI without annotations: every {@link ChatModel} bean's {@code call} and {@code stream}
 * are monitored (time to first token and tokens/s on streams, usage, response model, finish
 * reason), and {@code ChatResponse}s are read by a built-in extractor. With Spring AI's chat
 * client, every {@code ChatClient} built from the auto-configured builder is monitored too,
 * whatever the class of its model. Off with
 * {@code llm.monitor.spring-ai.enabled=false}.
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class)
@ConditionalOnClass(ChatModel.class)
@ConditionalOnBean(LlmMonitor.class)
@ConditionalOnBooleanProperty(name = "llm.monitor.spring-ai.enabled", matchIfMissing = true)
public final class LlmMonitorSpringAiAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ChatResponseExtractor llmChatResponseExtractor() {
		return new ChatResponseExtractor();
	}

	/**
	 * An infrastructure advisor: Spring Boot's auto-proxy creator applies it with or without
	 * AspectJ. Its monitor is resolved lazily, so that it creates no bean early.
	 * Its former name, {@code llmChatModelMonitoringAdvisor}, is a deprecated alias
	 * ({@link RenamedBeanAliases}).
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static ChatModelMonitoringPointcutAdvisor llmChatModelMonitoringPointcutAdvisor(
			ObjectProvider<LlmMonitor> llmMonitor, ObjectProvider<InvocationObserver> invocationObserver) {
		return new ChatModelMonitoringPointcutAdvisor(
				new ChatModelMonitoringInterceptor(llmMonitor, invocationObserver));
	}

	/**
	 * Every {@code ChatClient} built from Spring AI's auto-configured builder gets
	 * {@link ChatClientMonitoringAdvisor}: the way to monitor chat models of a final class.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ChatClientCustomizer.class)
	static class ChatClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ChatClientResponseExtractor llmChatClientResponseExtractor(ChatResponseExtractor chatResponseExtractor) {
			return new ChatClientResponseExtractor(chatResponseExtractor);
		}

		@Bean
		@ConditionalOnMissingBean
		ChatClientMonitoringAdvisor llmChatClientMonitoringAdvisor(ObjectProvider<LlmMonitor> llmMonitor,
				ObjectProvider<InvocationObserver> invocationObserver, ObjectProvider<ChatModel> chatModels) {
			return new ChatClientMonitoringAdvisor(llmMonitor, invocationObserver, chatModels);
		}

		@Bean
		ChatClientCustomizer llmChatClientCustomizer(ChatClientMonitoringAdvisor advisor) {
			return (builder) -> builder.defaultAdvisors(advisor);
		}

	}

}
