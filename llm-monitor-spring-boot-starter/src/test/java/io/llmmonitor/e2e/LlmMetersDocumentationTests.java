package io.llmmonitor.e2e;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.llmmonitor.docs.LlmMeters;
import io.llmmonitor.endpoint.LlmEndpoint;
import io.llmmonitor.feedback.Feedback;
import io.llmmonitor.feedback.FeedbackHandle;
import io.llmmonitor.feedback.LlmFeedback;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LlmMeters} is the one source of the {@code llm_*} meters: every meter a real run
 * registers (blocking, streaming, failing and slow calls, endpoints, quality signals, feedback,
 * budgets, costs) is one of its entries, with the same name, type, base unit, description and
 * tag keys; and {@code /actuator/llm} reads only meters it documents.
 */
@SpringBootTest(classes = ChatApplication.class,
		properties = { "spring.main.web-application-type=reactive", "management.tracing.export.enabled=false",
				"llm.monitor.pricing.gpt-4o.input=2.50", "llm.monitor.pricing.gpt-4o.output=10.00",
				"llm.monitor.slow-request-threshold=1ms", "llm.monitor.quality.enabled=true",
				"llm.monitor.budget.daily-usd=40", "llm.monitor.capture-content.enabled=true" })
class LlmMetersDocumentationTests {

	/** Tags that the application adds to every meter, not the meters' own. */
	private static final Set<String> COMMON_TAG_KEYS = Set.of("application");

	@Autowired
	private ChatApplication.ChatController controller;

	@Autowired
	private LlmFeedback feedback;

	@Autowired
	private PrometheusMeterRegistry registry;

	@Test
	void everyLlmMeterOfARunIsDocumentedWithItsNameTypeUnitDescriptionAndTagKeys() {
		ScrapedCalls.makeEveryKind(this.controller);
		this.feedback.record(new FeedbackHandle(null, null, "gpt-4o", "openai"), Feedback.thumbsUp());

		Map<String, LlmMeters> documented = Arrays.stream(LlmMeters.values())
			.collect(Collectors.toMap(LlmMeters::getName, Function.identity()));
		Map<String, Meter> registered = new TreeMap<>();
		for (Meter meter : this.registry.getMeters()) {
			if (meter.getId().getName().startsWith("llm.")) {
				registered.putIfAbsent(meter.getId().getName(), meter);
			}
		}

		assertThat(registered).containsKeys("llm.request.duration", "llm.request.duration.active",
				"llm.endpoint.duration", "llm.endpoint.duration.active", "llm.time.to.first.token",
				"llm.time.per.output.token", "llm.token.generation.rate", "llm.tokens", "llm.tokens.per.call",
				"llm.cost", "llm.active.requests", "llm.errors", "llm.slow.requests", "llm.finish.reasons",
				"llm.response.repetition.ratio", "llm.quality.analyses.dropped", "llm.feedback.score", "llm.budget");
		assertThat(documented).containsKeys(registered.keySet().toArray(String[]::new));
		for (Meter meter : this.registry.getMeters()) {
			Meter.Id id = meter.getId();
			LlmMeters entry = documented.get(id.getName());
			if (entry == null) {
				continue;
			}
			assertThat(id.getType()).as(id.getName()).isEqualTo(entry.getType());
			assertThat(id.getBaseUnit()).as(id.getName()).isEqualTo(expectedBaseUnit(entry));
			assertThat(id.getDescription()).as(id.getName()).isEqualTo(entry.getDescription());
			Set<String> keys = keys(entry.getKeyNames());
			assertThat(id.getTags()).as(id.getName())
				.extracting(Tag::getKey)
				.allSatisfy((key) -> assertThat(keys.contains(key) || COMMON_TAG_KEYS.contains(key))
					.as(id.getName() + " tag " + key)
					.isTrue());
		}
	}

	@Test
	void theLlmEndpointReadsOnlyDocumentedMeters() {
		this.controller.stream("hi").blockLast(Duration.ofSeconds(10));
		this.controller.failing("hi").block(Duration.ofSeconds(10));

		LlmEndpoint.ModelSummary summary = new LlmEndpoint(this.registry).model("gpt-4o");
		assertThat(summary).isNotNull();
		assertThat(summary.calls()).containsKeys("success", "error");
		assertThat(summary.tokens()).containsKeys("input", "output");
		assertThat(summary.timeToFirstTokenSeconds().count()).isPositive();
		assertThat(summary.costUsd()).isPositive();
		assertThat(summary.slowCalls()).isNotEmpty();
	}

	/** Timers take the registry's base time unit, which the documentation leaves to it. */
	private static String expectedBaseUnit(LlmMeters entry) {
		List<Meter.Type> timers = List.of(Meter.Type.TIMER, Meter.Type.LONG_TASK_TIMER);
		return timers.contains(entry.getType()) ? "seconds" : entry.getBaseUnit();
	}

	private static Set<String> keys(KeyName[] keyNames) {
		Set<String> keys = new HashSet<>();
		for (KeyName keyName : keyNames) {
			keys.add(keyName.asString());
		}
		return keys;
	}

}
