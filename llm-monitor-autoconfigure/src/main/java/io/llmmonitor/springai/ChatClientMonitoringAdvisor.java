package io.llmmonitor.springai;

import java.util.function.Supplier;

import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;

/**
 * Monitors each call and stream of a Spring AI {@code ChatClient} as one LLM call, as the last
 * advisor before the model: what it times is the model's work, with the prompt the other
 * advisors (memory, retrieval) made. This is how chat models of a final class, such as Spring AI
 * 2's {@code OpenAiChatModel} and {@code AnthropicChatModel}, are monitored: they cannot be
 * proxied. A model proxied by {@link ChatModelMonitoringPointcutAdvisor} does not count the same call
 * again, and a chat client called inside a monitored method or programmatic call is that call
 * (see {@link LlmMonitor#automaticStarter}).
 * <p>
 * The model comes from the prompt's options, else from the response; the provider from the chat
 * model bean when there is one, else from the class of the prompt's options
 * ({@code OpenAiChatOptions} is {@code openai}).
 */
public class ChatClientMonitoringAdvisor implements CallAdvisor, StreamAdvisor {

	private final ObjectProvider<LlmMonitor> llmMonitor;

	private final ObjectProvider<InvocationObserver> invocationObserver;

	private final ObjectProvider<ChatModel> chatModels;

	/** The provider of the unique chat model, looked up at the first call. */
	private volatile @Nullable String modelProvider;

	/**
	 * @param chatModels the application's chat models: the provider of a unique one is the
	 * provider of every call
	 */
	public ChatClientMonitoringAdvisor(ObjectProvider<LlmMonitor> llmMonitor,
			ObjectProvider<InvocationObserver> invocationObserver, ObjectProvider<ChatModel> chatModels) {
		this.llmMonitor = llmMonitor;
		this.invocationObserver = invocationObserver;
		this.chatModels = chatModels;
	}

	@Override
	public String getName() {
		return "llm-monitor";
	}

	/** Right before Spring AI's own advisor that calls the model ({@code LOWEST_PRECEDENCE}). */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

	/**
	 * What the rest of the chain returned, as it is: {@code null} only where the chain answered
	 * {@code null} (a mocked chain), handed back rather than failed by monitoring.
	 */
	@Override
	@SuppressWarnings("NullAway")
	public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
		return (ChatClientResponse) observe(request, false, () -> chain.nextCall(request));
	}

	@Override
	@SuppressWarnings({ "unchecked", "NullAway" })
	public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
		return (Flux<ChatClientResponse>) observe(request, true, () -> chain.nextStream(request));
	}

	private @Nullable Object observe(ChatClientRequest request, boolean stream, Supplier<Object> next) {
		try {
			return SpringAiInvocations.observe(this.invocationObserver, (observer) -> {
				LlmCallSpec spec = new LlmCallSpec(
						ChatModelMonitoringInterceptor.modelOf(request.prompt().getOptions()), provider(request), "chat",
						stream);
				// inside a monitored method or programmatic call, the same call: no second one
				return this.llmMonitor.getObject().automaticStarter(spec);
			}, stream ? Flux.class : ChatClientResponse.class, next::get, () -> "a Spring AI chat client call");
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// next.get() throws no checked exception
			throw new IllegalStateException(ex);
		}
	}

	private String provider(ChatClientRequest request) {
		String provider = this.modelProvider;
		if (provider == null) {
			provider = ChatModelMonitoringInterceptor.provider(this.chatModels.getIfUnique());
			this.modelProvider = provider;
		}
		if (!provider.isEmpty() || request.prompt().getOptions() == null) {
			return provider;
		}
		return ChatModelMonitoringInterceptor.providerOfClass(request.prompt().getOptions().getClass(), "ChatOptions");
	}

}
