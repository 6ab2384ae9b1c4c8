package io.llmmonitor.springai;

import java.util.List;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The advisor hands back what the rest of the chain returned, whatever it is: monitoring never
 * breaks the call it monitors.
 */
class ChatClientMonitoringAdvisorTests {

	@Test
	void whatTheChainReturnsIsHandedBackEvenNull() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		LlmMonitor monitor = new LlmMonitor(registry, null, new LlmResponseExtractors(List.of()),
				(model, text) -> text.length(), Clock.SYSTEM, LlmMonitorSettings.DEFAULTS);
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("llmMonitor", monitor);
		beans.registerSingleton("invocationObserver", new InvocationObserver(registry, null));
		ChatClientMonitoringAdvisor advisor = new ChatClientMonitoringAdvisor(beans.getBeanProvider(LlmMonitor.class),
				beans.getBeanProvider(InvocationObserver.class), beans.getBeanProvider(ChatModel.class));
		// a mocked chain, as in a user's test, answers null
		CallAdvisorChain chain = mock(CallAdvisorChain.class);
		assertThat(advisor.adviseCall(ChatClientRequest.builder().prompt(new Prompt("hello")).build(), chain))
			.isNull();
	}

}
