package io.llmmonitor.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMeterDescriptionFilter;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * Cost of a {@code /actuator/prometheus} scrape (the registry's text exposition, what the endpoint
 * returns) after calls to 50 models x 3 operations x every status, with llm-monitor's metrics
 * against the same calls observed by Micrometer's default handler alone (no llm-monitor metrics,
 * no LLM buckets).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScrapeBenchmark {

	private static final List<String> OPERATIONS = List.of("chat", "text_completion", "embeddings");

	private PrometheusMeterRegistry withLlmMonitor;

	private PrometheusMeterRegistry defaultHandlerOnly;

	@Setup
	public void setUp() {
		this.withLlmMonitor = populated(true);
		this.defaultHandlerOnly = populated(false);
		System.out.printf("scrape size: with llm-monitor %d bytes, %d lines; default handler only %d bytes, %d lines%n",
				this.withLlmMonitor.scrape().length(), this.withLlmMonitor.scrape().lines().count(),
				this.defaultHandlerOnly.scrape().length(), this.defaultHandlerOnly.scrape().lines().count());
	}

	static PrometheusMeterRegistry populated(boolean llmMetrics) {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		if (llmMetrics) {
			registry.config().meterFilter(new LlmMeterDescriptionFilter());
		}
		ObservationRegistry observations = Monitors.observationRegistry(registry, llmMetrics);
		LlmMonitor monitor = Monitors.llmMonitor(observations);
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(monitor);
		for (int model = 0; model < 50; model++) {
			for (String operation : OPERATIONS) {
				LlmCallSpec spec = new LlmCallSpec("model-" + model, "provider-" + (model % 5), operation, true);
				reactive.stream(spec, Flux.just(" a", " b", " c")).blockLast();
				try {
					reactive.stream(spec, Flux.just(" a").concatWith(Flux.error(new IllegalStateException()))).blockLast();
				}
				catch (IllegalStateException expected) {
					// an error status
				}
				reactive.stream(spec, Flux.just(" a", " b", " c")).take(1).blockLast();
			}
		}
		return registry;
	}

	@Benchmark
	public String scrapeWithLlmMonitor() {
		return this.withLlmMonitor.scrape();
	}

	@Benchmark
	public String scrapeDefaultHandlerOnly() {
		return this.defaultHandlerOnly.scrape();
	}

}
