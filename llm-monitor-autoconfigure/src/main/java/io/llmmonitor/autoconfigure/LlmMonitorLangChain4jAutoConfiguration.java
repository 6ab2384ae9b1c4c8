package io.llmmonitor.autoconfigure;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.langchain4j.ChatModelMonitoringInterceptor;
import io.llmmonitor.langchain4j.ChatModelMonitoringPointcutAdvisor;
import io.llmmonitor.langchain4j.LangChain4jChatResponseExtractor;
import io.llmmonitor.langchain4j.CompletedStreamExtractor;
import io.llmmonitor.langchain4j.PartialContentExtractor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * LangChain4j without annotations: the {@code chat} calls of every {@link ChatModel} and
 * {@link StreamingChatModel} bean are monitored (time to first token and tokens/s on streams from
 * the handler's callbacks, usage, response model, finish reason), and AI services through the
 * models they use. Off with {@code llm.monitor.langchain4j.enabled=false}.
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class)
@ConditionalOnClass({ ChatModel.class, StreamingChatModel.class })
@ConditionalOnBean(LlmMonitor.class)
@ConditionalOnBooleanProperty(name = "llm.monitor.langchain4j.enabled", matchIfMissing = true)
public final class LlmMonitorLangChain4jAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LangChain4jChatResponseExtractor llmLangChain4jChatResponseExtractor() {
		return new LangChain4jChatResponseExtractor();
	}

	@Bean
	@ConditionalOnMissingBean
	CompletedStreamExtractor llmLangChain4jCompletedStreamExtractor() {
		return new CompletedStreamExtractor();
	}

	@Bean
	@ConditionalOnMissingBean
	PartialContentExtractor llmLangChain4jPartialContentExtractor() {
		return new PartialContentExtractor();
	}

	/**
	 * An infrastructure advisor: Spring Boot's auto-proxy creator applies it with or without
	 * AspectJ. Its monitor is resolved lazily, so that it creates no bean early.
	 * Its former name, {@code llmLangChain4jChatModelMonitoringAdvisor}, is a deprecated alias
	 * ({@link RenamedBeanAliases}).
	 */
	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static ChatModelMonitoringPointcutAdvisor llmLangChain4jChatModelMonitoringPointcutAdvisor(
			ObjectProvider<LlmMonitor> llmMonitor, ObjectProvider<InvocationObserver> invocationObserver) {
		return new ChatModelMonitoringPointcutAdvisor(
				new ChatModelMonitoringInterceptor(llmMonitor, invocationObserver));
	}

}
