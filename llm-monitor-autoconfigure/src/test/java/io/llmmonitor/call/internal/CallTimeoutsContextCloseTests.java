package io.llmmonitor.call.internal;

import java.lang.ref.Reference;
import java.util.concurrent.atomic.AtomicReference;

import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The waits of calls belong to their application context: its close ends the calls still
 * waiting, as their timeout would, and stops the thread that bounds the waits.
 */
class CallTimeoutsContextCloseTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withConfiguration(
				AutoConfigurations.of(LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class));

	@Test
	void closingTheContextEndsACallWaitingForTheCallsJoinedIntoIt() {
		Sinks.Many<String> neverEnds = Sinks.many().unicast().onBackpressureBuffer();
		assertTheCloseEndsTheWaitingCall((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			return monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				((Flux<?>) new ReactorReturnValueObserver().observe(neverEnds.asFlux(),
						monitor.automaticStarter(new LlmCallSpec("gpt-4o", "openai", "chat", true)), null))
					.subscribe();
				return "started";
			});
		}, "the call waits for the stream joined into it", "success");
	}

	@Test
	void closingTheContextEndsACallWhoseReactiveValueWasNeverSubscribed() {
		assertTheCloseEndsTheWaitingCall((context) -> context.getBean(InvocationObserver.class)
			.observe(Object.class, context.getBean(LlmMonitor.class)
				.starter(new LlmCallSpec("gpt-4o", "openai", "chat", true)), () -> Flux.just("Hello", " there")),
				"the call waits for its first subscription", "cancelled");
	}

	/**
	 * Starts a call that waits (for calls joined into it, for its first subscription) in a context,
	 * closes the context, and checks that the close ended the call with {@code status} and stopped
	 * the thread that bounded the wait.
	 */
	private void assertTheCloseEndsTheWaitingCall(WaitingCallStart startWaitingCall,
			String waitsFor, String status) {
		AtomicReference<MeterRegistry> registry = new AtomicReference<>();
		AtomicReference<Gauge> active = new AtomicReference<>();
		AtomicReference<@Nullable Object> returned = new AtomicReference<>();
		AtomicReference<CallTimeouts> timeouts = new AtomicReference<>();
		this.runner.run((context) -> {
			returned.set(startWaitingCall.start(context));
			registry.set(context.getBean(MeterRegistry.class));
			active.set(registry.get().get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge());
			assertThat(active.get().value()).as(waitsFor).isEqualTo(1);
			timeouts.set(context.getBean(CallTimeouts.class));
			assertThat(timeouts.get().thread()).as("the thread bounding the wait").isNotNull();
		});

		assertThat(active.get().value()).as("calls in flight after the close").isZero();
		assertThat(requests(registry.get(), status).count()).as("the call ended as on timeout").isEqualTo(1);
		assertThat(timeouts.get().thread().isAlive()).as("the timeout thread after the close").isFalse();
		// held until now: a value collected would end its call without the close
		Reference.reachabilityFence(returned.get());
	}

	@Test
	void aContextWithoutWaitsMakesNoThread() {
		AtomicReference<CallTimeouts> timeouts = new AtomicReference<>();
		this.runner.run((context) -> {
			context.getBean(LlmMonitor.class).call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "done");
			timeouts.set(context.getBean(CallTimeouts.class));
		});
		assertThat(timeouts.get().thread()).isNull();
	}

	@Test
	void aWaitSetUpAfterTheCloseEndsItsCallAtOnce() {
		CallTimeouts timeouts = new CallTimeouts();
		timeouts.close();
		AtomicReference<String> ended = new AtomicReference<>();
		timeouts.schedule(() -> ended.set("ended"), java.time.Duration.ofDays(1));
		assertThat(ended).hasValue("ended");
		assertThat(timeouts.thread()).isNull();
	}

	@Test
	void theThreadHasTheLibrarysClassLoaderAndIsADaemon() {
		CallTimeouts timeouts = new CallTimeouts();
		try {
			CallTimeouts.cancel(timeouts.schedule(() -> {
			}, java.time.Duration.ofDays(1)));
			Thread thread = timeouts.thread();
			assertThat(thread).isNotNull();
			assertThat(thread.getName()).isEqualTo(CallTimeouts.THREAD_NAME);
			assertThat(thread.isDaemon()).isTrue();
			assertThat(thread.getContextClassLoader()).isSameAs(CallTimeouts.class.getClassLoader());
		}
		finally {
			timeouts.close();
		}
		assertThat(timeouts.thread().isAlive()).isFalse();
	}

	/** Starts a call that waits, and returns what must stay reachable until the close. */
	@FunctionalInterface
	private interface WaitingCallStart {

		@Nullable Object start(ApplicationContext context) throws Throwable;

	}

	private static Timer requests(MeterRegistry registry, String status) {
		return registry.get(DefaultLlmCallObservationConvention.NAME).tag("status", status).timer();
	}

}
