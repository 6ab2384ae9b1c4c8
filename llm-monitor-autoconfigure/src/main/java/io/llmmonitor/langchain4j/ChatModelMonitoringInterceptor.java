package io.llmmonitor.langchain4j;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Locale;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.MonitoringFailures;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Monitors one {@code chat} call of a LangChain4j {@link ChatModel} or
 * {@link StreamingChatModel} as an LLM call. The model comes from the request's parameters, else
 * the model's default parameters, else the response; the provider from the model's
 * {@code provider()} ({@code OPEN_AI} is {@code openai}). A call with a
 * {@code StreamingChatResponseHandler} is a stream, measured from the handler's callbacks.
 * <p>
 * The convenience methods ({@code chat(String)}, {@code chat(ChatMessage...)}, ...) that the
 * model does not override run LangChain4j's own default implementation against the proxy, so
 * that the {@code chat(ChatRequest)} they delegate to is the one monitored call, with the usage
 * of its {@code ChatResponse} (a {@code String} answer carries none).
 */
public class ChatModelMonitoringInterceptor implements MethodInterceptor {

	private final LangChain4jInvocations invocations;

	public ChatModelMonitoringInterceptor(ObjectProvider<LlmMonitor> llmMonitor,
			ObjectProvider<InvocationObserver> invocationObserver) {
		this.invocations = new LangChain4jInvocations(llmMonitor, invocationObserver);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		@Nullable Object[] arguments = invocation.getArguments();
		Object target = invocation.getThis();
		ChatRequest request = (arguments.length > 0 && arguments[0] instanceof ChatRequest chatRequest) ? chatRequest
				: null;
		if (request == null && target != null && invocation instanceof ProxyMethodInvocation proxyInvocation
				&& isInheritedDefault(method, target)) {
			MethodHandle defaultMethod = defaultMethod(method, proxyInvocation.getProxy());
			if (defaultMethod != null) {
				return defaultMethod.invokeWithArguments(arguments);
			}
		}
		int handlerIndex = arguments.length - 1;
		if (handlerIndex >= 0 && arguments[handlerIndex] instanceof StreamingChatResponseHandler handler) {
			LlmCallSpec spec = new LlmCallSpec(model(target, request), provider(target), "chat", true);
			return this.invocations.observeStream(spec, handler, (monitored) -> {
				arguments[handlerIndex] = monitored;
				return invocation.proceed();
			}, method);
		}
		LlmCallSpec spec = new LlmCallSpec(model(target, request), provider(target), "chat", false);
		// NullAway before JDK 22 (no JSpecify mode) reads Invocation's T as non-null, whatever the type argument
		@SuppressWarnings("NullAway")
		InvocationObserver.Invocation<@Nullable Object> proceed = invocation::proceed;
		return this.invocations.observe(spec, method.getReturnType(), proceed, method);
	}

	/** Whether the model runs the interface's default implementation of this method. */
	private static boolean isInheritedDefault(Method method, Object target) {
		Method implementation = AopUtils.getMostSpecificMethod(method, AopUtils.getTargetClass(target));
		return implementation.isDefault() && implementation.getDeclaringClass().isInterface();
	}

	/**
	 * The interface's default implementation bound to the proxy as {@code this}, or {@code null}
	 * (and a report) where the module system denies it: the call is then monitored as it is.
	 */
	private static @Nullable MethodHandle defaultMethod(Method method, Object proxy) {
		Class<?> declaringClass = method.getDeclaringClass();
		try {
			return MethodHandles.privateLookupIn(declaringClass, MethodHandles.lookup())
				.unreflectSpecial(method, declaringClass)
				.asFixedArity()
				.bindTo(proxy);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			MonitoringFailures.report("calling the default method " + method + " through the proxy", ex);
			return null;
		}
	}

	private static String model(@Nullable Object target, @Nullable ChatRequest request) {
		try {
			String model = (request != null) ? request.modelName() : null;
			if (model == null || model.isEmpty()) {
				ChatRequestParameters defaults = (target instanceof ChatModel chatModel)
						? chatModel.defaultRequestParameters()
						: (target instanceof StreamingChatModel streamingModel) ? streamingModel.defaultRequestParameters()
								: null;
				model = (defaults != null) ? defaults.modelName() : null;
			}
			return (model != null) ? model : "";
		}
		catch (RuntimeException ex) {
			return "";
		}
	}

	/** The GenAI semantic convention name of the model's provider. */
	static String provider(@Nullable Object target) {
		ModelProvider provider;
		try {
			provider = (target instanceof ChatModel chatModel) ? chatModel.provider()
					: (target instanceof StreamingChatModel streamingModel) ? streamingModel.provider() : null;
		}
		catch (RuntimeException ex) {
			provider = null;
		}
		if (provider == null) {
			return "";
		}
		return switch (provider.name()) {
			case "OPEN_AI" -> "openai";
			case "AZURE_OPEN_AI" -> "azure.ai.openai";
			case "AMAZON_BEDROCK" -> "aws.bedrock";
			case "GOOGLE_AI_GEMINI" -> "gcp.gemini";
			case "GOOGLE_VERTEX_AI_GEMINI", "GOOGLE_VERTEX_AI_ANTHROPIC" -> "gcp.vertex_ai";
			case "GOOGLE_GENAI" -> "gcp.gen_ai";
			case "MICROSOFT_FOUNDRY" -> "azure.ai.inference";
			case "WATSONX" -> "ibm.watsonx.ai";
			case "OTHER" -> "";
			default -> provider.name().toLowerCase(Locale.ROOT);
		};
	}

}
