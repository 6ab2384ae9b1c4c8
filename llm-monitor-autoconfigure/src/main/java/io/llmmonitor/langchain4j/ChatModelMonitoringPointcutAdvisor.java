package io.llmmonitor.langchain4j;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;

import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;

/**
 * Applies {@link ChatModelMonitoringInterceptor} to the public {@code chat} methods of every
 * LangChain4j {@link ChatModel} and {@link StreamingChatModel} bean, however it was created (a
 * LangChain4j Spring Boot starter, or an application's own {@code @Bean}), so that they and the
 * AI services built on them are monitored without an annotation. The proxy keeps the bean's
 * class ({@code OpenAiChatModel} stays injectable as such). A final class cannot be proxied and
 * is left alone, so that it never fails the application's start.
 */
public class ChatModelMonitoringPointcutAdvisor extends StaticMethodMatcherPointcutAdvisor {

	public ChatModelMonitoringPointcutAdvisor(ChatModelMonitoringInterceptor interceptor) {
		super(interceptor);
		setClassFilter((type) -> (ChatModel.class.isAssignableFrom(type) || StreamingChatModel.class.isAssignableFrom(type))
				&& !Modifier.isFinal(type.getModifiers()));
	}

	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		return method.getName().equals("chat") && method.getParameterCount() >= 1
				&& Modifier.isPublic(method.getModifiers()) && !method.isBridge()
				&& (ChatModel.class.isAssignableFrom(method.getDeclaringClass())
						|| StreamingChatModel.class.isAssignableFrom(method.getDeclaringClass()));
	}

}
