package io.llmmonitor.call;

import java.util.Set;
import java.util.stream.Collectors;

import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.core.instrument.Meter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of distinct model names do not make thousands of series.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelCardinalityGuardTests {

	private static final LlmMonitorSettings FIVE_MODELS = LlmMonitorSettings.builder().maxModels(5).build();

	@Test
	void modelsBeyondTheLimitAreTaggedOtherWithOneWarning(CapturedOutput output) {
		TestMonitors monitors = TestMonitors.onSystemTime(FIVE_MODELS);

		for (int i = 0; i < 2000; i++) {
			monitors.monitor.call(LlmCallSpec.chat("model-" + i, "vllm"), () -> "answer");
		}

		Set<String> modelTags = monitors.meterRegistry.get("llm.request.duration").timers().stream()
			.map((timer) -> timer.getId().getTag("model"))
			.collect(Collectors.toSet());
		assertThat(modelTags).containsExactlyInAnyOrder("model-0", "model-1", "model-2", "model-3", "model-4", "other");
		assertThat(monitors.meterRegistry.getMeters().stream().map(Meter::getId).map((id) -> id.getTag("model")))
			.allSatisfy((model) -> assertThat(model).isIn(null, "model-0", "model-1", "model-2", "model-3", "model-4",
					"other"));
		assertThat(monitors.meterRegistry.get("llm.request.duration").tag("model", "other").timer().count())
			.isEqualTo(1995);
		assertThat(output.getOut().lines().filter((line) -> line.contains("distinct model names"))).singleElement()
			.asString()
			.contains("WARN", "llm.monitor.max-models");
		// spans keep the real name
		assertThat(monitors.stoppedCalls.get(1999).getModel()).isEqualTo("model-1999");
		assertThat(monitors.stoppedCalls.get(1999).getModelTag()).isEqualTo("other");
	}

	@Test
	void aModelTakenFromTheResponseIsGuardedToo() {
		TestMonitors monitors = TestMonitors.onSystemTime(
				LlmMonitorSettings.builder().maxModels(1).build(), new Chunk.Extractor());

		monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "first");
		// no requested model: the response names gpt-4o-2024-08-06, a second model
		monitors.monitor.call(LlmCallSpec.chat("", "openai"), () -> Chunk.usage(1, 2));

		assertThat(monitors.stoppedCalls.get(1).getModel()).isEqualTo("gpt-4o-2024-08-06");
		assertThat(monitors.stoppedCalls.get(1).getModelTag()).isEqualTo("other");
	}

}
