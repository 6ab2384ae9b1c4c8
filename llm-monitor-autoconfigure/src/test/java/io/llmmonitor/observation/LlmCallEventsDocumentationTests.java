package io.llmmonitor.observation;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The span events of an LLM call are the documented ones: {@code LLM_CALL}'s events list every
 * name a call records.
 */
class LlmCallEventsDocumentationTests {

	@Test
	void everyEventOfAStreamIsDocumented() {
		// per-token events on, and a threshold every call exceeds: first token, chunks and slow call
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.slowRequestThreshold(Duration.ofNanos(1))
			.tokenEventsEnabled(true)
			.maxTokenEventsPerCall(4)
			.build();
		TestMonitors monitors = TestMonitors.onSystemTime(settings, new Chunk.Extractor());

		new ReactiveLlmMonitor(monitors.monitor)
			.stream(LlmCallSpec.chat("gpt-4o", "openai"),
					Flux.just(Chunk.text("Hello"), Chunk.text(" world"), Chunk.usage(3, 2)))
			.blockLast(Duration.ofSeconds(10));

		Set<String> documented = Arrays.stream(LlmObservationDocumentation.LLM_CALL.getEvents())
			.map(Observation.Event::getName)
			.collect(Collectors.toSet());
		Set<String> recorded = monitors.onlyCall()
			.getEvents()
			.stream()
			.map(LlmCallEvent::name)
			.collect(Collectors.toSet());
		assertThat(recorded).contains(LlmCallEvent.FIRST_TOKEN, LlmCallEvent.CONTENT_CHUNK, LlmCallEvent.SLOW_CALL);
		assertThat(documented).containsAll(recorded);
	}

}
