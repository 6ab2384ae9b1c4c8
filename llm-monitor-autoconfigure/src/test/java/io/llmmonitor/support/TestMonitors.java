package io.llmmonitor.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.metrics.LlmHistogramBuckets;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.metrics.LlmHistogramMeterFilter;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link LlmMonitor} wired as the auto-configuration wires it, on a {@link SimpleMeterRegistry}
 * and a {@link TestObservationRegistry} that share one clock.
 */
public final class TestMonitors {

	public final SimpleMeterRegistry meterRegistry;

	public final TestObservationRegistry observationRegistry = TestObservationRegistry.create();

	public final LlmMonitor monitor;

	/** LLM calls whose observation stopped, in order. */
	public final List<LlmCallContext> stoppedCalls = new CopyOnWriteArrayList<>();

	private TestMonitors(Clock clock, LlmMonitorSettings settings, List<LlmResponseExtractor<?>> extractors) {
		this.meterRegistry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
		this.meterRegistry.config().meterFilter(new LlmHistogramMeterFilter(LlmHistogramBuckets.DEFAULTS));
		this.observationRegistry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry))
			.observationHandler(new LlmMetricsObservationHandler(this.meterRegistry))
			.observationHandler(new ObservationHandler<LlmCallContext>() {
				@Override
				public void onStop(LlmCallContext context) {
					TestMonitors.this.stoppedCalls.add(context);
				}

				@Override
				public boolean supportsContext(Observation.Context context) {
					return context instanceof LlmCallContext;
				}
			});
		this.monitor = new LlmMonitor(this.observationRegistry, null, new LlmResponseExtractors(extractors),
				new JtokkitTokenCounter(EncodingType.CL100K_BASE), clock, settings);
	}

	/** The one LLM call that stopped. */
	public LlmCallContext onlyCall() {
		assertThat(this.stoppedCalls).hasSize(1);
		return this.stoppedCalls.get(0);
	}

	public static TestMonitors onVirtualTime(VirtualTimeScheduler scheduler, LlmMonitorSettings settings,
			LlmResponseExtractor<?>... extractors) {
		return new TestMonitors(new VirtualClock(scheduler), settings, List.of(extractors));
	}

	public static TestMonitors onSystemTime(LlmMonitorSettings settings, LlmResponseExtractor<?>... extractors) {
		return new TestMonitors(Clock.SYSTEM, settings, List.of(extractors));
	}

	/** A Micrometer clock that reads Reactor's virtual time. */
	static final class VirtualClock implements Clock {

		private final VirtualTimeScheduler scheduler;

		VirtualClock(VirtualTimeScheduler scheduler) {
			this.scheduler = scheduler;
		}

		@Override
		public long wallTime() {
			return this.scheduler.now(TimeUnit.MILLISECONDS);
		}

		@Override
		public long monotonicTime() {
			return this.scheduler.now(TimeUnit.NANOSECONDS);
		}

	}

}
