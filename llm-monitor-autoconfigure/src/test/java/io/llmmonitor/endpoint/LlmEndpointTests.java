package io.llmmonitor.endpoint;

import java.time.Duration;
import java.util.Map;

import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorEndpointAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.cost.ModelPrice;
import io.llmmonitor.endpoint.LlmEndpoint.GenerationSummary;
import io.llmmonitor.endpoint.LlmEndpoint.LlmSummary;
import io.llmmonitor.endpoint.LlmEndpoint.ModelSummary;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/**
 * The {@code llm} actuator endpoint: figures by model, read back from the meters.
 */
class LlmEndpointTests {

	private static final LlmCallSpec GPT_4O = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	private final VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();

	@AfterEach
	void resetVirtualTime() {
		VirtualTimeScheduler.reset();
	}

	@Test
	void summarisesTheCallsOfEachModel() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler,
				LlmMonitorSettings.builder().prices(LlmPriceTable.of(Map.of("gpt-4o", new ModelPrice(2.5, 10)))).build(),
				new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		// two streams one after the other: first token after 100 ms, 4 chunks 20 ms apart, then usage (10 in, 4 out)
		StepVerifier.withVirtualTime(() -> stream(reactive).concatWith(stream(reactive)), () -> this.scheduler,
				Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(10)
			.verifyComplete();
		reactive.stream(GPT_4O, Flux.<Chunk>error(new IllegalStateException("429")))
			.onErrorResume((ex) -> Flux.empty())
			.blockLast();
		reactive.stream(new LlmCallSpec("claude-sonnet-4", "anthropic", "chat", true), Flux.just("hi")).blockLast();

		LlmEndpoint endpoint = new LlmEndpoint(monitors.meterRegistry);
		assertThat(endpoint.summary().models()).extracting(ModelSummary::model)
			.containsExactly("claude-sonnet-4", "gpt-4o");
		ModelSummary gpt = endpoint.model("gpt-4o").models().get(0);
		assertThat(endpoint.model("gpt-4o").models()).hasSize(1);
		assertThat(gpt.provider()).isEqualTo("openai");
		assertThat(gpt.calls()).containsExactly(Map.entry("success", 2L), Map.entry("error", 1L),
				Map.entry("cancelled", 0L));
		assertThat(gpt.errorRatio()).isCloseTo(1.0 / 3, within(1e-9));
		GenerationSummary generation = endpoint.model("gpt-4o").generation().get(0);
		assertThat(generation.provider()).isEqualTo("openai");
		assertThat(generation.timeToFirstTokenSeconds().count()).isEqualTo(2);
		assertThat(generation.timeToFirstTokenSeconds().mean()).isCloseTo(0.100, within(1e-9));
		// 4 output tokens, 3 gaps of 20 ms
		assertThat(generation.timePerOutputTokenSeconds().mean()).isCloseTo(0.020, within(1e-9));
		assertThat(generation.tokensPerSecond().mean()).isCloseTo(50.0, within(1e-9));
		assertThat(gpt.tokens()).containsEntry("input", 20L).containsEntry("output", 8L);
		assertThat(gpt.costUsd()).isCloseTo(20 * 2.5e-6 + 8 * 10e-6, within(1e-12));
		assertThat(gpt.active()).isZero();
		assertThat(gpt.slowCalls()).containsEntry("latency", 0L);
		assertThat(endpoint.model("claude-sonnet-4").models()).singleElement()
			.satisfies((claude) -> assertThat(claude.costUsd()).isNull());
		assertThat(endpoint.model("llama")).isNull();
	}

	private static Flux<Chunk> stream(ReactiveLlmMonitor reactive) {
		return reactive.stream(GPT_4O, Mono.delay(Duration.ofMillis(100))
			.thenMany(Flux.interval(Duration.ZERO, Duration.ofMillis(20)).take(4).map((tick) -> Chunk.text(" a")))
			.concatWith(Mono.just(Chunk.usage(10, 4))));
	}

	/**
	 * Time to first token, time per output token and tokens/s are tagged by model and provider
	 * only: reported once for the model and provider, beside the summaries of its operations, not
	 * repeated in each (where a reader would take them for that operation's, or add them up).
	 */
	@Test
	void theTokenFiguresOfAModelUsedForTwoOperationsAreReportedOnceBesideThem() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		StepVerifier.withVirtualTime(() -> stream(reactive), () -> this.scheduler, Long.MAX_VALUE)
			.thenAwait(Duration.ofSeconds(1))
			.expectNextCount(5)
			.verifyComplete();
		reactive.stream(new LlmCallSpec("gpt-4o", "openai", "text_completion", true), Flux.just("hi")).blockLast();

		LlmEndpoint endpoint = new LlmEndpoint(monitors.meterRegistry);
		assertThat(endpoint.summary().models()).extracting(ModelSummary::operation)
			.containsExactly("chat", "text_completion");
		assertThat(endpoint.summary().generation()).singleElement().satisfies((generation) -> {
			assertThat(generation.model()).isEqualTo("gpt-4o");
			assertThat(generation.provider()).isEqualTo("openai");
			// both calls, chat and text_completion
			assertThat(generation.timeToFirstTokenSeconds().count()).isEqualTo(2);
		});
	}

	/** A model served for several operations and providers: {@code /actuator/llm/{model}} gives them all. */
	@Test
	void oneModelGivesTheSummariesOfAllItsOperationsAndProviders() {
		TestMonitors monitors = TestMonitors.onVirtualTime(this.scheduler, LlmMonitorSettings.DEFAULTS,
				new Chunk.Extractor());
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitors.monitor);
		reactive.stream(GPT_4O, Flux.just("hi")).blockLast();
		reactive.stream(new LlmCallSpec("gpt-4o", "openai", "text_completion", true), Flux.just("hi")).blockLast();
		reactive.stream(new LlmCallSpec("gpt-4o", "azure", "chat", true), Flux.just("hi")).blockLast();
		reactive.stream(new LlmCallSpec("gpt-4o-mini", "openai", "chat", true), Flux.just("hi")).blockLast();

		LlmSummary gpt = new LlmEndpoint(monitors.meterRegistry).model("gpt-4o");
		assertThat(gpt.models()).extracting(ModelSummary::provider, ModelSummary::operation)
			.containsExactly(tuple("azure", "chat"), tuple("openai", "chat"), tuple("openai", "text_completion"));
		assertThat(gpt.models()).allSatisfy((summary) -> assertThat(summary.calls()).containsEntry("success", 1L));
		assertThat(gpt.generation()).extracting(GenerationSummary::provider).containsExactly("azure", "openai");
		assertThat(gpt.generation()).extracting((generation) -> generation.timeToFirstTokenSeconds().count())
			.containsExactly(1L, 2L);
	}

	/**
	 * A custom convention with statuses of its own ({@code ok}, {@code failed}): its calls are
	 * counted under those statuses, and the error ratio, which would read {@code error} only, is
	 * unknown rather than 0.
	 */
	@Test
	void theCallsOfACustomConventionsOwnStatusesAreCounted() {
		MeterRegistry registry = new SimpleMeterRegistry();
		for (String status : new String[] { "ok", "ok", "failed" }) {
			Timer.builder("llm.request.duration")
				.tags("model", "gpt-4o", "provider", "openai", "operation", "chat", "status", status)
				.register(registry)
				.record(Duration.ofMillis(100));
		}

		assertThat(new LlmEndpoint(registry).summary().models()).singleElement().satisfies((model) -> {
			assertThat(model.calls()).containsExactly(Map.entry("success", 0L), Map.entry("error", 0L),
					Map.entry("cancelled", 0L), Map.entry("failed", 1L), Map.entry("ok", 2L));
			assertThat(model.errorRatio()).isNull();
			assertThat(model.durationSeconds().count()).isEqualTo(3);
		});
	}

	/**
	 * Without the duration timer (an application that denies {@code llm.request.duration}, as
	 * {@code management.metrics.enable.llm.request.duration=false} does), the operation of a model
	 * is known from its counters; the per-token distributions, tagged without it, make no summary
	 * of no operation.
	 */
	@Test
	void withoutTheDurationTimerThePerTokenFiguresMakeNoSummaryOfNoOperation() {
		MeterRegistry registry = new SimpleMeterRegistry();
		Timer.builder("llm.time.to.first.token")
			.tags("model", "gpt-4o", "provider", "openai")
			.register(registry)
			.record(Duration.ofMillis(100));
		Counter.builder("llm.tokens")
			.tags("model", "gpt-4o", "provider", "openai", "operation", "chat", "type", "output")
			.register(registry)
			.increment(8);

		LlmSummary summary = new LlmEndpoint(registry).summary();
		assertThat(summary.models()).singleElement().satisfies((model) -> {
			assertThat(model.operation()).isEqualTo("chat");
			assertThat(model.tokens()).containsEntry("output", 8L);
		});
		assertThat(summary.generation()).singleElement()
			.satisfies((generation) -> assertThat(generation.timeToFirstTokenSeconds().count()).isEqualTo(1));
	}

	@Test
	void availableOnlyWhenExposed() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
				ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class,
				LlmMonitorEndpointAutoConfiguration.class));
		runner.run((context) -> assertThat(context).doesNotHaveBean(LlmEndpoint.class));
		runner.withPropertyValues("management.endpoints.web.exposure.include=llm")
			.run((context) -> assertThat(context).hasSingleBean(LlmEndpoint.class));
		runner.withPropertyValues("management.endpoints.web.exposure.include=llm", "llm.monitor.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmEndpoint.class));
	}

}
