package io.llmmonitor.call;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A call stops in its own scope, so that exemplars and the call log carry its trace; a call that
 * ends where it runs (a blocking method that returned or threw) is in that scope already and does
 * not open it a second time (each scope costs the tracer and log correlation a context switch).
 */
class EndInOwnScopeTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final LlmMonitor monitor = new LlmMonitor(this.registry, null, new LlmResponseExtractors(List.of()),
			new JtokkitTokenCounter(EncodingType.CL100K_BASE), Clock.SYSTEM, LlmMonitorSettings.DEFAULTS);

	private final AtomicInteger scopesOpened = new AtomicInteger();

	/** For each stop: whether the call's own observation was current then. */
	private final List<Boolean> stoppedInOwnScope = new ArrayList<>();

	@BeforeEach
	void countScopes() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<LlmCallContext>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof LlmCallContext;
			}

			@Override
			public void onScopeOpened(LlmCallContext context) {
				EndInOwnScopeTests.this.scopesOpened.incrementAndGet();
			}

			@Override
			public void onStop(LlmCallContext context) {
				Observation current = EndInOwnScopeTests.this.registry.getCurrentObservation();
				EndInOwnScopeTests.this.stoppedInOwnScope.add(current != null && current.getContext() == context);
			}
		});
	}

	@Test
	void aBlockingCallStopsInTheScopeItRanInWithoutOpeningAnother() {
		String answer = this.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "Hello there");

		assertThat(answer).isEqualTo("Hello there");
		assertThat(this.stoppedInOwnScope).containsExactly(true);
		assertThat(this.scopesOpened).as("scopes opened for the call").hasValue(1);
		assertThat(this.registry.getCurrentObservation()).as("left current").isNull();
	}

	@Test
	void aBlockingCallThatThrowsStopsInTheScopeItRanInWithoutOpeningAnother() {
		assertThatIllegalStateException().isThrownBy(() -> this.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
			throw new IllegalStateException("model down");
		}));

		assertThat(this.stoppedInOwnScope).containsExactly(true);
		assertThat(this.scopesOpened).as("scopes opened for the call").hasValue(1);
		assertThat(this.registry.getCurrentObservation()).as("left current").isNull();
	}

	@Test
	void aMethodWhoseDeclaredTypeDoesNotTellStopsInTheScopeItRanInWhenItReturnsAPlainValue() throws Throwable {
		try (InvocationObserver observer = new InvocationObserver(this.registry, new ReactorReturnValueObserver())) {
			Object answer = observer.observe(Object.class,
					this.monitor.starter(LlmCallSpec.chat("gpt-4o", "openai")), () -> "Hello there");

			assertThat(answer).isEqualTo("Hello there");
		}
		assertThat(this.stoppedInOwnScope).containsExactly(true);
		assertThat(this.scopesOpened).as("scopes opened for the call").hasValue(1);
	}

	@Test
	void aCallWhoseStageIsAlreadyCompleteStopsInTheScopeItRanInWithoutOpeningAnother() {
		CompletableFuture<String> observed = this.monitor.callAsync(LlmCallSpec.chat("gpt-4o", "openai"),
				() -> CompletableFuture.completedFuture("Hello there"));

		assertThat(observed).isCompletedWithValue("Hello there");
		assertThat(this.stoppedInOwnScope).containsExactly(true);
		assertThat(this.scopesOpened).as("scopes opened for the call").hasValue(1);
	}

	@Test
	void aCallThatEndsLaterElsewhereStillStopsInItsOwnScope() {
		CompletableFuture<String> answer = new CompletableFuture<>();

		CompletableFuture<String> observed = this.monitor.callAsync(LlmCallSpec.chat("gpt-4o", "openai"), () -> answer);
		assertThat(this.stoppedInOwnScope).isEmpty();
		answer.complete("Hello there");

		assertThat(observed).isCompletedWithValue("Hello there");
		assertThat(this.stoppedInOwnScope).containsExactly(true);
		assertThat(this.scopesOpened).as("scopes opened: the invocation's, then the stop's").hasValue(2);
		assertThat(this.registry.getCurrentObservation()).as("left current").isNull();
	}

}
