package io.llmmonitor.call;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.llmmonitor.usage.TokenCounter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When nothing would hear of a call (the registry is {@link ObservationRegistry#NOOP}, or an
 * {@code ObservationPredicate} disables it), the call runs as it is: its result is not read nor
 * counted.
 */
class MonitoringOffTests {

	private final AtomicInteger counted = new AtomicInteger();

	private final TokenCounter tokenCounter = (model, text) -> {
		this.counted.incrementAndGet();
		return text.length();
	};

	@Test
	void noopRegistryRunsTheCallUnobserved() {
		LlmMonitor monitor = monitor(ObservationRegistry.NOOP);
		assertThat(monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "an answer")).isEqualTo("an answer");
		assertThat(this.counted).hasValue(0);
	}

	@Test
	void callDisabledByAPredicateRunsUnobserved() {
		ObservationRegistry registry = ObservationRegistry.create();
		AtomicInteger heard = new AtomicInteger();
		registry.observationConfig()
			.observationPredicate((name, context) -> !(context instanceof LlmCallContext))
			.observationHandler(new ObservationHandler<>() {
				@Override
				public void onStart(io.micrometer.observation.Observation.Context context) {
					heard.incrementAndGet();
				}

				@Override
				public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
					return true;
				}
			});
		LlmMonitor monitor = monitor(registry);
		assertThat(monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "an answer")).isEqualTo("an answer");
		assertThat(this.counted).hasValue(0);
		assertThat(heard).hasValue(0);
	}

	@Test
	void callsDisabledByAPredicateTakeNoSlotOfTheModelTag() {
		ObservationRegistry registry = ObservationRegistry.create();
		List<LlmCallContext> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
		registry.observationConfig()
			.observationPredicate((name, context) -> !(context instanceof LlmCallContext call)
					|| !call.getModel().startsWith("off-"))
			.observationHandler(new ObservationHandler<LlmCallContext>() {
				@Override
				public void onStop(LlmCallContext context) {
					stopped.add(context);
				}

				@Override
				public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
					return context instanceof LlmCallContext;
				}
			});
		LlmMonitor monitor = monitor(registry);
		for (int i = 0; i < 2 * io.llmmonitor.call.internal.CardinalityGuard.MAX_UNCONFIRMED; i++) {
			monitor.call(LlmCallSpec.chat("off-" + i, "openai"), () -> "an answer");
		}
		// a new model whose first call fails keeps its name while the pool of unconfirmed values has room
		try {
			monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				throw new IllegalStateException("model not found");
			});
		}
		catch (IllegalStateException expected) {
			// the call's own failure
		}
		assertThat(stopped).singleElement().satisfies((context) -> assertThat(context.getModelTag()).isEqualTo("gpt-4o"));
	}

	@Test
	void enabledCallIsCounted() {
		ObservationRegistry registry = ObservationRegistry.create();
		// a registry without handlers is a no-op one
		registry.observationConfig().observationHandler((context) -> true);
		LlmMonitor monitor = monitor(registry);
		monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "an answer");
		assertThat(this.counted).hasValue(1);
	}

	private LlmMonitor monitor(ObservationRegistry registry) {
		return new LlmMonitor(registry, null, new LlmResponseExtractors(List.of()), this.tokenCounter, Clock.SYSTEM,
				LlmMonitorSettings.DEFAULTS);
	}

}
