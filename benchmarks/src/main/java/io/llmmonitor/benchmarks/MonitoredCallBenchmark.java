package io.llmmonitor.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Cost of one {@code @MonitoredLlmCall} (blocking and {@code Mono}) against a hand-written
 * Micrometer Observation around the same method and against the bare method, in a Spring Boot
 * context with metrics and tracing on (OpenTelemetry, every span sampled, exported to memory).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MonitoredCallBenchmark {

	private static final String ANSWER = "Hello there, friend";

	private ConfigurableApplicationContext context;

	private ObservationRegistry registry;

	private ModelClient monitored;

	private ModelClient bare;

	@Setup(Level.Trial)
	public void setUp() {
		this.context = new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
			.properties("management.tracing.sampling.probability=1.0", "spring.main.banner-mode=off",
					"logging.level.root=warn")
			.run();
		this.registry = this.context.getBean(ObservationRegistry.class);
		this.monitored = this.context.getBean("monitoredClient", ModelClient.class);
		this.bare = new ModelClient();
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		long exported = this.context.getBean(CountingSpanExporter.class).exported.get();
		this.context.close();
		System.out.println("spans exported: " + exported);
	}

	@Benchmark
	public String blockingBare() {
		return this.bare.complete("hi");
	}

	@Benchmark
	public String blockingHandWrittenObservation() {
		return Observation.createNotStarted("hand.written", this.registry)
			.lowCardinalityKeyValue("model", "gpt-4o")
			.lowCardinalityKeyValue("provider", "openai")
			.observe(() -> this.bare.complete("hi"));
	}

	@Benchmark
	public String blockingMonitoredLlmCall() {
		return this.monitored.complete("hi");
	}

	@Benchmark
	public String monoBare() {
		return this.bare.completeMono("hi").block();
	}

	@Benchmark
	public String monoHandWrittenObservation() {
		return Mono.defer(() -> {
			Observation observation = Observation.createNotStarted("hand.written", this.registry)
				.lowCardinalityKeyValue("model", "gpt-4o")
				.lowCardinalityKeyValue("provider", "openai")
				.start();
			return this.bare.completeMono("hi")
				.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				.contextWrite((context) -> context.put(
						io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor.KEY, observation));
		}).block();
	}

	@Benchmark
	public String monoMonitoredLlmCall() {
		return this.monitored.completeMono("hi").block();
	}

	public static class ModelClient {

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public String complete(String prompt) {
			return ANSWER;
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Mono<String> completeMono(String prompt) {
			return Mono.just(ANSWER);
		}

	}

	/** Keeps no span: counts them, so that memory stays flat over the run. */
	static final class CountingSpanExporter implements SpanExporter {

		final AtomicLong exported = new AtomicLong();

		@Override
		public CompletableResultCode export(java.util.Collection<SpanData> spans) {
			this.exported.addAndGet(spans.size());
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

	@SpringBootApplication
	static class BenchmarkApplication {

		@Bean
		ModelClient monitoredClient() {
			return new ModelClient();
		}

		@Bean
		CountingSpanExporter countingSpanExporter() {
			return new CountingSpanExporter();
		}

	}

}
