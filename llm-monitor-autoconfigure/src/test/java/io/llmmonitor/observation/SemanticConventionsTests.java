package io.llmmonitor.observation;

import io.llmmonitor.call.ContentCapture;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the spans of LLM calls carry, after the OpenTelemetry GenAI semantic conventions v1.41.
 */
class SemanticConventionsTests {

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	@Test
	void errorTypeOnTheSpanIsTheFullyQualifiedClassAndTheMetricTagTheSimpleName() {
		assertThatIllegalStateException().isThrownBy(() -> this.monitors.monitor
			.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> {
				throw new IllegalStateException("boom");
			}));

		TestObservationRegistryAssert.assertThat(this.monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasHighCardinalityKeyValue("error.type", "java.lang.IllegalStateException")
			.hasLowCardinalityKeyValue("error_type", "IllegalStateException");
	}

	@Test
	void withoutAModelTheSpanIsNamedByItsOperationAndHasNoRequestModel() {
		this.monitors.monitor.call(new LlmCallSpec("", "openai", "chat", false), () -> "hello");

		TestObservationRegistryAssert.assertThat(this.monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasContextualNameEqualTo("chat")
			.doesNotHaveHighCardinalityKeyValueWithKey("gen_ai.request.model")
			.hasLowCardinalityKeyValue("model", "unknown");
	}

	@Test
	void aModelKnownOnlyFromTheResponseNamesTheSpan() {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new Chunk.Extractor());

		monitors.monitor.call(new LlmCallSpec("", "openai", "chat", false), () -> Chunk.usage(3, 4));

		TestObservationRegistryAssert.assertThat(monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasContextualNameEqualTo("chat gpt-4o-2024-08-06")
			.hasHighCardinalityKeyValue("gen_ai.request.model", "gpt-4o-2024-08-06");
	}

	@Test
	void capturedOutputMessagesCarryTheirFinishReason() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.contentCapture(new ContentCapture(true, 1_000, java.util.List.of()))
			.build();
		TestMonitors monitors = TestMonitors.onSystemTime(settings, new Chunk.Extractor());

		Flux.just(Chunk.text("Hello"), Chunk.text(" there"), Chunk.usage(3, 2))
			.transform((flux) -> new io.llmmonitor.reactive.ReactiveLlmMonitor(monitors.monitor)
				.stream(LlmCallSpec.chat("gpt-4o", "openai").withStream(true), flux))
			.blockLast();

		assertThat(monitors.onlyCall().getOutputMessages()).isEqualTo(
				"[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Hello there\"}],\"finish_reason\":\"stop\"}]");
	}

	@Test
	void aFailedCallsCapturedOutputEndsWithAnErrorFinishReason() {
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.contentCapture(new ContentCapture(true, 1_000, java.util.List.of()))
			.build();
		TestMonitors monitors = TestMonitors.onSystemTime(settings);

		Flux<String> failing = Flux.just("Hello").concatWith(Flux.error(new IllegalStateException("cut")));
		assertThatIllegalStateException().isThrownBy(() -> new io.llmmonitor.reactive.ReactiveLlmMonitor(monitors.monitor)
			.stream(LlmCallSpec.chat("gpt-4o", "openai").withStream(true), failing)
			.blockLast());

		assertThat(monitors.onlyCall().getOutputMessages()).endsWith("}],\"finish_reason\":\"error\"}]");
	}

}
