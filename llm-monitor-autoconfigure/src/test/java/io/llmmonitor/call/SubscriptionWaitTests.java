package io.llmmonitor.call;

import java.util.List;

import io.llmmonitor.call.internal.CallTimeouts;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.llmmonitor.support.TestMonitors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound on the wait for the first subscription of a reactive value returned by a method
 * declared {@code Object} holds nothing once the value is subscribed.
 */
class SubscriptionWaitTests {

	@Test
	void theFirstSubscriptionEndsTheWaitForIt() throws Throwable {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);
		InvocationObserver observer = new InvocationObserver(monitors.observationRegistry, new ReactorReturnValueObserver(),
				List.of());
		long scheduled = CallTimeouts.scheduled();
		long cancelled = CallTimeouts.cancelled();

		Object returned = observer.observe(Object.class,
				monitors.monitor.starter(new LlmCallSpec("gpt-4o", "openai", "chat", true)),
				() -> Flux.just("Hello", " there"));
		assertThat(CallTimeouts.scheduled()).isEqualTo(scheduled + 1);
		((Flux<?>) returned).blockLast();

		assertThat(monitors.onlyCall().getContentChunks()).isEqualTo(2);
		assertThat(CallTimeouts.cancelled()).isEqualTo(cancelled + 1);
	}

}
