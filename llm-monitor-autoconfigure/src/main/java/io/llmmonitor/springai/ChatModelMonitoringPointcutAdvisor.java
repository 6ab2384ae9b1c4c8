package io.llmmonitor.springai;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;

/**
 * Applies {@link ChatModelMonitoringInterceptor} to the public {@code call} and {@code stream}
 * methods of every Spring AI chat model bean, so that they are monitored without an annotation.
 * A call that a model makes to itself ({@code call(String)} delegating to
 * {@code call(Prompt)}) stays inside the bean and is monitored once. A final class (Spring AI 2's
 * {@code OpenAiChatModel}, {@code AnthropicChatModel}) cannot be proxied by subclassing and is
 * left alone, so that it never fails the application's start: its calls through a
 * {@code ChatClient} are monitored by {@link ChatClientMonitoringAdvisor}.
 */
public class ChatModelMonitoringPointcutAdvisor extends StaticMethodMatcherPointcutAdvisor {

	public ChatModelMonitoringPointcutAdvisor(ChatModelMonitoringInterceptor interceptor) {
		super(interceptor);
		setClassFilter((type) -> StreamingChatModel.class.isAssignableFrom(type) && !Modifier.isFinal(type.getModifiers()));
	}

	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		String name = method.getName();
		return (name.equals("call") || name.equals("stream")) && method.getParameterCount() == 1
				&& Modifier.isPublic(method.getModifiers()) && !method.isBridge();
	}

}
