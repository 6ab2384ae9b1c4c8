package io.llmmonitor.reactive;

import java.time.Duration;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallEvent;
import io.llmmonitor.support.TestMonitors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An automatic call (Spring AI, LangChain4j) that runs inside an explicit LLM call is that call,
 * even when it outlives the explicit call's method: the call ends when both did, with the joined
 * call's first token and tokens, and its error.
 */
class JoinedCallTests {

	private static final LlmCallSpec OUTER = LlmCallSpec.chat("gpt-4o", "openai");

	private static final LlmCallSpec INNER = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	/** A stream of an automatic integration, started inside the explicit call and consumed after it returned. */
	private Flux<String> startedInsideAndReturned(Sinks.Many<String> sink) {
		Flux<String> inner = ReactorReturnValueObserver.observeFlux(sink.asFlux(),
				this.monitors.monitor.automaticStarter(INNER), null);
		// connected by its first subscriber, inside the explicit call
		Flux<String> replay = inner.replay().autoConnect(1);
		assertThat(this.monitors.monitor.call(OUTER, () -> {
			replay.subscribe((token) -> {
			}, (error) -> {
			});
			return "started";
		})).isEqualTo("started");
		return replay;
	}

	@Test
	void anExplicitCallWhoseMethodReturnedWaitsForTheStreamJoinedIntoIt() {
		Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
		startedInsideAndReturned(sink);

		assertThat(this.monitors.stoppedCalls).as("ended before its stream").isEmpty();
		assertThat(this.monitors.meterRegistry.get("llm.active.requests").gauge().value()).isEqualTo(1);
		sink.tryEmitNext("Hello");
		sink.tryEmitNext(" there");
		sink.tryEmitComplete();

		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getStatus()).isEqualTo(CallStatus.SUCCESS);
		assertThat(call.getTimeToFirstToken()).isNotNull();
		assertThat(this.monitors.meterRegistry.get("llm.active.requests").gauge().value()).isZero();
	}

	@Test
	void aJoinedStreamThatFailsAfterTheMethodReturnedFailsTheCall() {
		Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
		startedInsideAndReturned(sink).onErrorResume((ex) -> Flux.empty()).subscribe();

		sink.tryEmitNext("Hello");
		sink.tryEmitError(new IllegalStateException("connection reset"));

		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getStatus()).isEqualTo(CallStatus.ERROR);
		assertThat(call.getError()).isInstanceOf(IllegalStateException.class).hasMessage("connection reset");
		assertThat(call.getEvents()).extracting(LlmCallEvent::name).contains(LlmCallEvent.JOINED_CALL_ERROR);
		assertThat(this.monitors.meterRegistry.get("llm.request.duration").tag("status", "error").timer().count())
			.isEqualTo(1);
	}

	@Test
	void aJoinedCallThatFailedBeforeARetrySucceededLeavesTheCallASuccessWithAnEvent() {
		this.monitors.monitor.call(OUTER, () -> {
			Flux<String> failing = ReactorReturnValueObserver.observeFlux(
					Flux.error(new IllegalStateException("overloaded")), this.monitors.monitor.automaticStarter(INNER),
					null);
			Flux<String> succeeding = ReactorReturnValueObserver.observeFlux(Flux.just("Hello"),
					this.monitors.monitor.automaticStarter(INNER), null);
			return failing.onErrorResume((ex) -> succeeding).blockLast();
		});

		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getStatus()).isEqualTo(CallStatus.SUCCESS);
		assertThat(call.getEvents()).extracting(LlmCallEvent::name).contains(LlmCallEvent.JOINED_CALL_ERROR);
	}

	@Test
	void aJoinedStreamThatNeverEndsLetsTheCallEndAfterSixtySlowRequestThresholds() throws InterruptedException {
		TestMonitors fast = TestMonitors.onSystemTime(LlmMonitorSettings.builder().slowRequestThreshold(Duration.ofMillis(1)).build());
		Flux<String> inner = ReactorReturnValueObserver.observeFlux(Flux.never(), fast.monitor.automaticStarter(INNER), null);
		fast.monitor.call(OUTER, () -> {
			inner.subscribe();
			return "started";
		});

		for (int i = 0; i < 500 && fast.stoppedCalls.isEmpty(); i++) {
			Thread.sleep(10);
		}
		assertThat(fast.onlyCall().getStatus()).isEqualTo(CallStatus.SUCCESS);
		assertThat(fast.meterRegistry.get("llm.active.requests").gauge().value()).isZero();
	}

}
