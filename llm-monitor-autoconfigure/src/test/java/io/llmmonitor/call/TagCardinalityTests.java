package io.llmmonitor.call;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.llmmonitor.call.LlmMonitorSettings.TagLimits;
import io.llmmonitor.call.internal.CardinalityGuard;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.DefaultEndpointObservationConvention;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.tracing.LlmCallTracingObservationHandler;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every tag whose value comes from run-time data is bounded: {@code model}, {@code provider},
 * {@code operation}, {@code endpoint} and {@code error_type} fold to {@code other} past their
 * limit, with one WARN, while spans keep the real value; and names seen only in failed calls do
 * not take the places of real ones.
 */
@ExtendWith(OutputCaptureExtension.class)
class TagCardinalityTests {

	private static final String DURATION = DefaultLlmCallObservationConvention.NAME;

	private final SimpleTracer tracer = new SimpleTracer();

	private TestMonitors monitors(LlmMonitorSettings settings) {
		TestMonitors monitors = TestMonitors.onSystemTime(settings);
		monitors.observationRegistry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new LlmCallTracingObservationHandler(this.tracer, Propagator.NOOP),
					new DefaultTracingObservationHandler(this.tracer)));
		return monitors;
	}

	@Test
	void threeHundredProvidersMakeAtMostTheirLimitOfSeriesAndSpansKeepTheRealName(CapturedOutput output) {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS);

		for (int i = 0; i < 300; i++) {
			monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "provider-" + i), () -> "answer");
		}

		Set<String> expected = Stream.concat(IntStream.range(0, 20).mapToObj((i) -> "provider-" + i), Stream.of("other"))
			.collect(Collectors.toSet());
		assertThat(tagValues(monitors, DURATION, "provider")).isEqualTo(expected);
		assertThat(allTagValues(monitors, "provider")).isSubsetOf(expected);
		assertThat(monitors.meterRegistry.get(DURATION).tag("provider", "other").timer().count()).isEqualTo(280);
		assertThat(warnings(output, "distinct provider names")).singleElement()
			.asString()
			.contains("llm.monitor.max-providers");
		SimpleSpan last = this.tracer.getSpans().getLast();
		assertThat(last.getTags()).containsEntry("provider", "provider-299")
			.containsEntry("gen_ai.provider.name", "provider-299");
	}

	@Test
	void operationsBeyondTheirLimitAreTaggedOther(CapturedOutput output) {
		TestMonitors monitors = monitors(LlmMonitorSettings.builder().tagLimits(new TagLimits(20, 3, 50)).build());

		for (String operation : List.of("chat", "embeddings", "text_completion", "op-from-request", "another-one")) {
			monitors.monitor.call(new LlmCallSpec("gpt-4o", "openai", operation, false), () -> "answer");
		}

		assertThat(tagValues(monitors, DURATION, "operation")).containsExactlyInAnyOrder("chat", "embeddings",
				"text_completion", "other");
		assertThat(monitors.meterRegistry.get(DURATION).tag("operation", "other").timer().count()).isEqualTo(2);
		assertThat(warnings(output, "distinct operation names")).singleElement()
			.asString()
			.contains("llm.monitor.max-operations");
		assertThat(this.tracer.getSpans().getLast().getTags()).containsEntry("operation", "another-one")
			.containsEntry("gen_ai.operation.name", "another-one");
	}

	@Test
	void errorTypesBeyondTheirLimitAreTaggedOther(CapturedOutput output) {
		TestMonitors monitors = monitors(LlmMonitorSettings.builder().tagLimits(new TagLimits(20, 20, 2)).build());

		for (RuntimeException error : List.of(new IllegalStateException(), new IllegalArgumentException(),
				new UnsupportedOperationException(), new IllegalStateException())) {
			fail(monitors, LlmCallSpec.chat("gpt-4o", "openai"), error);
		}

		assertThat(tagValues(monitors, DURATION, "error_type")).containsExactlyInAnyOrder("IllegalStateException",
				"IllegalArgumentException", "other");
		assertThat(monitors.meterRegistry.get(DURATION).tag("error_type", "IllegalStateException").timer().count())
			.isEqualTo(2);
		assertThat(warnings(output, "distinct error types")).singleElement()
			.asString()
			.contains("llm.monitor.max-error-types");
		SimpleSpan third = span(2);
		assertThat(third.getTags()).containsEntry("error_type", "UnsupportedOperationException");
		assertThat(third.getTags().get("error.type")).endsWith("UnsupportedOperationException");
	}

	@Test
	void endpointsBeyondTheirLimitAreTaggedOther(CapturedOutput output) {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS);
		EndpointMonitor endpoints = new EndpointMonitor(monitors.observationRegistry, null, 2);

		for (String endpoint : List.of("chat", "summarize", "endpoint-from-request", "chat")) {
			endpoints.starter(endpoint).start(null).end(CallStatus.SUCCESS, null);
		}

		assertThat(tagValues(monitors, DefaultEndpointObservationConvention.NAME, "endpoint"))
			.containsExactlyInAnyOrder("chat", "summarize", "other");
		assertThat(warnings(output, "distinct endpoint names")).singleElement()
			.asString()
			.contains("llm.monitor.max-endpoints");
		SimpleSpan third = span(2);
		assertThat(third.getName()).isEqualTo("endpoint-from-request");
		assertThat(third.getTags()).containsEntry("endpoint", "endpoint-from-request");
	}

	@Test
	void namesSeenOnlyInFailedCallsDoNotCrowdOutARealModel(CapturedOutput output) {
		TestMonitors monitors = monitors(LlmMonitorSettings.DEFAULTS);

		for (int i = 0; i < 300; i++) {
			fail(monitors, LlmCallSpec.chat("junk-" + i, "openai"), new IllegalArgumentException("model not found"));
		}
		monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "answer");
		monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "answer");

		Timer gpt = monitors.meterRegistry.get(DURATION).tag("model", "gpt-4o").tag("status", "success").timer();
		assertThat(gpt.count()).isEqualTo(2);
		// the failing names kept a small pool of places, the rest are other
		Set<String> allowed = Stream
			.concat(IntStream.range(0, CardinalityGuard.MAX_UNCONFIRMED).mapToObj((i) -> "junk-" + i),
					Stream.of("other", "gpt-4o"))
			.collect(Collectors.toSet());
		assertThat(allTagValues(monitors, "model")).isSubsetOf(allowed);
		assertThat(monitors.meterRegistry.get(DURATION).tag("model", "other").timer().count()).isEqualTo(290);
		assertThat(warnings(output, "seen only in calls that did not succeed")).singleElement()
			.asString()
			.contains("model names");
		assertThat(warnings(output, "llm.monitor.max-models")).isEmpty();
		assertThat(span(299).getTags()).containsEntry("model", "junk-299")
			.containsEntry("gen_ai.request.model", "junk-299");
	}

	@Test
	void aFailingNameThatSucceedsLaterIsAdmittedAndTheLimitStillHolds() {
		TestMonitors monitors = monitors(LlmMonitorSettings.builder().maxModels(3).build());

		fail(monitors, LlmCallSpec.chat("flaky", "openai"), new IllegalStateException("503"));
		monitors.monitor.call(LlmCallSpec.chat("flaky", "openai"), () -> "back");
		for (String model : List.of("a", "b", "c", "d")) {
			monitors.monitor.call(LlmCallSpec.chat(model, "openai"), () -> "answer");
		}
		fail(monitors, LlmCallSpec.chat("flaky", "openai"), new IllegalStateException("503"));

		assertThat(tagValues(monitors, DURATION, "model")).containsExactlyInAnyOrder("flaky", "a", "b", "other");
		assertThat(monitors.meterRegistry.get(DURATION).tag("model", "flaky").timers().stream().mapToLong(Timer::count)
			.sum()).isEqualTo(3);
		assertThat(monitors.meterRegistry.get(DURATION).tag("model", "other").timer().count()).isEqualTo(2);
	}

	private SimpleSpan span(int index) {
		return List.copyOf(this.tracer.getSpans()).get(index);
	}

	private static void fail(TestMonitors monitors, LlmCallSpec spec, RuntimeException error) {
		assertThatException().isThrownBy(() -> monitors.monitor.call(spec, () -> {
			throw error;
		}));
	}

	private static Set<String> tagValues(TestMonitors monitors, String meter, String tag) {
		return monitors.meterRegistry.get(meter)
			.meters()
			.stream()
			.map((m) -> m.getId().getTag(tag))
			.collect(Collectors.toSet());
	}

	/** The values of the tag on every meter that has it. */
	private static Set<String> allTagValues(TestMonitors monitors, String tag) {
		return monitors.meterRegistry.getMeters()
			.stream()
			.map(Meter::getId)
			.map((id) -> id.getTag(tag))
			.filter((value) -> value != null)
			.collect(Collectors.toSet());
	}

	private static List<String> warnings(CapturedOutput output, String text) {
		return output.getOut().lines().filter((line) -> line.contains("WARN") && line.contains(text)).toList();
	}

}
