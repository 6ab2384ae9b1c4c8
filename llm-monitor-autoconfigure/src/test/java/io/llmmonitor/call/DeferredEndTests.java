package io.llmmonitor.call;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.internal.CallTimeouts;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end of a call whose method returned while a call joined into it still runs waits for that
 * one, bounded by a timeout that nothing keeps once the call ended.
 */
class DeferredEndTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final Sinks.Many<String> joinedStream = Sinks.many().unicast().onBackpressureBuffer();

	/** Armed once the method returned: the joined stream then ends as the end's wait is set up. */
	private final AtomicBoolean endJoinedWhileTheWaitIsSetUp = new AtomicBoolean();

	private final LlmMonitor monitor = new LlmMonitor(this.registry, null, new LlmResponseExtractors(List.of()),
			new JtokkitTokenCounter(EncodingType.CL100K_BASE), Clock.SYSTEM, LlmMonitorSettings.DEFAULTS) {

		@Override
		LlmMonitorSettings settings() {
			// the joined call ends between the deferral of the end and the scheduling of its bound,
			// as it may on another thread
			boolean deferring = StackWalker.getInstance()
				.walk((frames) -> frames.anyMatch((frame) -> frame.getMethodName().equals("deferEnd")));
			if (deferring && DeferredEndTests.this.endJoinedWhileTheWaitIsSetUp.compareAndSet(true, false)) {
				DeferredEndTests.this.joinedStream.tryEmitComplete();
			}
			return super.settings();
		}

	};

	@Test
	void aJoinedCallThatEndsAsTheWaitForItIsSetUpLeavesNoWaitBehind() {
		AtomicBoolean stopped = new AtomicBoolean();
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {
			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof LlmCallContext;
			}

			@Override
			public void onStop(Observation.Context context) {
				stopped.set(((LlmCallContext) context).getStatus() == CallStatus.SUCCESS);
			}
		});
		long scheduled = CallTimeouts.scheduled();
		long cancelled = CallTimeouts.cancelled();

		this.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
			((Flux<?>) new ReactorReturnValueObserver().observe(this.joinedStream.asFlux(),
					this.monitor.automaticStarter(new LlmCallSpec("gpt-4o", "openai", "chat", true)), null))
				.subscribe();
			this.endJoinedWhileTheWaitIsSetUp.set(true);
			return "started";
		});

		assertThat(this.endJoinedWhileTheWaitIsSetUp).as("the joined call ended as the wait was set up").isFalse();
		assertThat(stopped).as("the call ended with its joined call").isTrue();
		assertThat(CallTimeouts.scheduled() - scheduled).as("waits scheduled").isEqualTo(1);
		assertThat(CallTimeouts.cancelled() - cancelled).as("waits cancelled: none keeps the ended call").isEqualTo(1);
	}

}
