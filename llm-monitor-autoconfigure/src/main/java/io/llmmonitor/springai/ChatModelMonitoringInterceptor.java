package io.llmmonitor.springai;

import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Map;

import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;

/**
 * Monitors one {@code call} or {@code stream} of a Spring AI {@link ChatModel} as an LLM call:
 * the model comes from the prompt's options, else the model's default options, else the
 * response; the provider from the model's class ({@code OpenAiChatModel} is {@code openai}). A
 * {@code Flux} is a stream: time to first token and tokens/s are measured on it.
 * <p>
 * The monitor is looked up at the first call, so that advising the chat models does not create
 * the observation registry early.
 */
public class ChatModelMonitoringInterceptor implements MethodInterceptor {

	/** GenAI semantic convention provider names of Spring AI's chat models, by class name prefix. */
	private static final Map<String, String> PROVIDERS = Map.ofEntries(Map.entry("OpenAi", "openai"),
			Map.entry("AzureOpenAi", "azure.ai.openai"), Map.entry("Anthropic", "anthropic"),
			Map.entry("Ollama", "ollama"), Map.entry("MistralAi", "mistral_ai"), Map.entry("DeepSeek", "deepseek"),
			Map.entry("VertexAiGemini", "gcp.vertex_ai"), Map.entry("GoogleGenAi", "gcp.gen_ai"),
			Map.entry("BedrockProxy", "aws.bedrock"), Map.entry("Bedrock", "aws.bedrock"),
			Map.entry("MiniMax", "minimax"), Map.entry("ZhiPuAi", "zhipuai"), Map.entry("OciCohere", "oci.cohere"),
			Map.entry("HuggingFace", "huggingface"));

	private final ObjectProvider<LlmMonitor> llmMonitor;

	private final ObjectProvider<InvocationObserver> invocationObserver;

	public ChatModelMonitoringInterceptor(ObjectProvider<LlmMonitor> llmMonitor,
			ObjectProvider<InvocationObserver> invocationObserver) {
		this.llmMonitor = llmMonitor;
		this.invocationObserver = invocationObserver;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Method method = invocation.getMethod();
		// NullAway before JDK 22 (no JSpecify mode) reads Invocation's T as non-null, whatever the type argument
		@SuppressWarnings("NullAway")
		InvocationObserver.Invocation<@Nullable Object> proceed = invocation::proceed;
		return SpringAiInvocations.observe(this.invocationObserver, (observer) -> {
			Object target = invocation.getThis();
			LlmCallSpec spec = new LlmCallSpec(model(target, invocation.getArguments()), provider(target), "chat",
					observer.isStream(method.getReturnType()));
			// inside a chat client call or a monitored method, the same call: no second one
			return this.llmMonitor.getObject().automaticStarter(spec);
		}, method.getReturnType(), proceed, () -> "the Spring AI chat model method " + method);
	}

	private static String model(@Nullable Object target, @Nullable Object[] arguments) {
		if (arguments.length == 1 && arguments[0] instanceof Prompt prompt) {
			String model = modelOf(prompt.getOptions());
			if (!model.isEmpty()) {
				return model;
			}
		}
		return (target instanceof ChatModel chatModel) ? modelOf(chatModel.getDefaultOptions()) : "";
	}

	/** The model of these options, or an empty string. */
	static String modelOf(@Nullable ChatOptions options) {
		return (options != null && StringUtils.hasText(options.getModel())) ? options.getModel() : "";
	}

	/** {@code OpenAiChatModel} is {@code openai}; an unknown {@code AcmeChatModel} is {@code acme}. */
	static String provider(@Nullable Object target) {
		return (target != null) ? providerOfClass(AopUtils.getTargetClass(target), "ChatModel") : "";
	}

	/**
	 * The provider named by a class of Spring AI's naming: {@code OpenAiChatModel} or
	 * {@code OpenAiChatOptions} is {@code openai}; the generic {@code DefaultChatOptions} is none.
	 */
	static String providerOfClass(Class<?> type, String suffix) {
		String name = type.getSimpleName();
		String prefix = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
		if (prefix.isEmpty() || prefix.equals("Default")) {
			return "";
		}
		String known = PROVIDERS.get(prefix);
		return (known != null) ? known : prefix.toLowerCase(Locale.ROOT);
	}

}
