package io.llmmonitor.sample;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * llm-monitor adds no work per element to a stream's Reactor operators. Reactor restores the
 * Reactor context's observation on the thread around each element of every {@code handle}
 * operator (its limited context propagation; the sample has three {@code mapNotNull} per chunk),
 * with or without llm-monitor: unmonitored it is Spring Boot's HTTP server observation, monitored
 * the LLM call's or the endpoint's. The sample, run as the load benchmark runs it (50 chunks a
 * stream), opens as many observation scopes per stream monitored as unmonitored, give or take
 * a few per stream, not per chunk. {@code ScopeRestoreBenchmark} prices one restore of each kind.
 */
class StreamScopeRestoresTests {

	private static final int STREAMS = 40;

	private static final int CHUNKS = 50;

	@Test
	void aMonitoredStreamOpensAsManyObservationScopesAsAnUnmonitoredOne() {
		Map<String, Double> unmonitored = scopesPerStream(false);
		Map<String, Double> monitored = scopesPerStream(true);

		double unmonitoredTotal = total(unmonitored);
		assertThat(unmonitoredTotal).as("scopes per unmonitored stream %s", unmonitored)
			.isGreaterThanOrEqualTo(3 * CHUNKS);
		// the client's two operators restore the LLM call's observation, the controller's the endpoint's
		assertThat(monitored.getOrDefault("llm.request.duration", 0.0)).as("LLM call scopes %s", monitored)
			.isGreaterThanOrEqualTo(2 * CHUNKS);
		assertThat(monitored.getOrDefault("llm.endpoint.duration", 0.0)).as("endpoint scopes %s", monitored)
			.isGreaterThanOrEqualTo(CHUNKS);
		assertThat(monitored.getOrDefault("http.server.requests", 0.0)).as("server scopes %s", monitored)
			.isLessThan(CHUNKS);
		assertThat(total(monitored)).as("scopes per monitored stream %s, unmonitored %s", monitored, unmonitored)
			.isCloseTo(unmonitoredTotal, within(4.0));
	}

	private static double total(Map<String, Double> scopes) {
		return scopes.values().stream().mapToDouble(Double::doubleValue).sum();
	}

	/** The observation scopes opened per stream of 50 chunks, by observation name. */
	private static Map<String, Double> scopesPerStream(boolean monitored) {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SampleApplication.class,
				ScopeCounter.class)
			// the load benchmark's flags (benchmarks/load/load-benchmark.py), the built-in simulator only
			.run("--server.port=0", "--spring.profiles.active=", "--sample.llm.base-url=",
					"--spring.main.banner-mode=off", "--logging.level.root=warn", "--llm.monitor.enabled=" + monitored,
					"--llm.monitor.call-log.enabled=false", "--llm.monitor.capture-content.enabled=false",
					"--llm.monitor.quality.enabled=false", "--sample.demo-traffic.enabled=false",
					"--sample.simulator.error-rate=0",
					"--sample.simulator.stream-abort-rate=0", "--sample.simulator.slow-rate=0",
					"--sample.simulator.truncation-rate=0", "--sample.simulator.refusal-rate=0",
					"--sample.simulator.empty-rate=0", "--sample.simulator.min-tokens=" + CHUNKS,
					"--sample.simulator.max-tokens=" + CHUNKS, "--sample.simulator.models[0].name=gpt-4o-sim",
					"--sample.simulator.models[0].time-to-first-token=1ms",
					"--sample.simulator.models[0].tokens-per-second=1000000", "--sample.llm.default-model=gpt-4o-sim")) {
			WebTestClient client = WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.server.port"))
				.responseTimeout(Duration.ofSeconds(30))
				.build();
			stream(client);
			// the server observation stops after the client read the last byte: count whole streams only
			awaitServedStreams(app, 1);
			ScopeCounter counter = app.getBean(ScopeCounter.class);
			counter.opened.clear();
			for (int i = 0; i < STREAMS; i++) {
				stream(client);
			}
			awaitServedStreams(app, 1 + STREAMS);
			Map<String, Double> perStream = new TreeMap<>();
			counter.opened.forEach((name, count) -> perStream.put(name, count.doubleValue() / STREAMS));
			return perStream;
		}
	}

	private static void awaitServedStreams(ConfigurableApplicationContext app, long streams) {
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (served(meters) < streams) {
			assertThat(System.nanoTime()).as("%d streams served", streams).isLessThan(deadline);
			LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
		}
		assertThat(served(meters)).isEqualTo(streams);
	}

	private static long served(MeterRegistry meters) {
		Timer streams = meters.find("http.server.requests").tag("uri", "/api/chat/stream").timer();
		return (streams != null) ? streams.count() : 0;
	}

	private static void stream(WebTestClient client) {
		String body = client.get()
			.uri("/api/chat/stream?prompt={prompt}", "Say hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body.split("data:", -1)).as("one event per chunk: %s", body).hasSize(CHUNKS + 1);
	}

	/** Counts every observation scope opened in the application, by observation name. */
	@Configuration(proxyBeanMethods = false)
	static class ScopeCounter {

		final Map<String, LongAdder> opened = new ConcurrentHashMap<>();

		@Bean
		ObservationHandler<Observation.Context> scopeCountingHandler() {
			return new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				public void onScopeOpened(Observation.Context context) {
					ScopeCounter.this.opened.computeIfAbsent(context.getName(), (name) -> new LongAdder()).increment();
				}

			};
		}

	}

}
