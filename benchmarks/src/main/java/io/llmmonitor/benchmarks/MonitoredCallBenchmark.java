package io.llmmonitor.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.metrics.LlmHistogramMeterFilter;
import io.llmmonitor.metrics.LlmTokensPerCallBucketsMeterFilter;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.usage.TokenCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.aspectj.lang.ProceedingJoinPoint;
import org.jspecify.annotations.Nullable;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
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

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Cost of one {@code @MonitoredLlmCall} (blocking and {@code Mono}) against a hand-written
 * Micrometer Observation around the same method and against the bare method, in a Spring Boot
 * context with metrics and tracing on (OpenTelemetry, every span sampled, exported to memory).
 * <p>
 * When monitoring is off at run time, two more cases in contexts of their own: the observation
 * registry is {@link ObservationRegistry#NOOP} ({@code noop*}), or an {@link ObservationPredicate}
 * disables LLM calls ({@code disabled*}). Their floor is {@code passThroughAspect}: the same
 * method advised by an {@code @Around} aspect that only proceeds, in the tracing context; and,
 * for the predicate, {@code blockingHandWrittenDisabledByPredicate}: what Micrometer itself
 * charges for an observation that a predicate disables.
 * Each state starts its own context, and only the benchmarks that use it start it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MonitoredCallBenchmark {

	private static final String ANSWER = "Hello there, friend";

	private static final String HAND_WRITTEN = "hand.written";

	private static final String HAND_WRITTEN_SAME_RECORD = "hand.written.same.record";

	/** A Spring Boot context of the benchmark application, with the given extra properties. */
	@State(Scope.Benchmark)
	public abstract static class ApplicationState {

		ConfigurableApplicationContext context;

		ObservationRegistry registry;

		ModelClient monitored;

		ModelClient bare;

		SameRecord sameRecord;

		abstract String[] properties();

		@Setup(Level.Trial)
		public void setUp() {
			this.context = new SpringApplicationBuilder(BenchmarkApplication.class).web(WebApplicationType.NONE)
				.properties("management.tracing.sampling.probability=1.0", "spring.main.banner-mode=off",
						"logging.level.root=warn")
				.properties(properties())
				.run();
			this.registry = this.context.getBean(ObservationRegistry.class);
			this.monitored = this.context.getBean("monitoredClient", ModelClient.class);
			this.bare = new ModelClient();
			this.sameRecord = new SameRecord(this.registry, this.context.getBean(MeterRegistry.class),
					this.context.getBean(TokenCounter.class));
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			long exported = this.context.getBean(CountingSpanExporter.class).exported.get();
			this.context.close();
			System.out.println("spans exported: " + exported);
		}

	}

	/** Metrics and tracing on. */
	public static class Tracing extends ApplicationState {

		@Override
		String[] properties() {
			return new String[0];
		}

	}

	/**
	 * Fails the trial of {@code blockingMonitoredLlmCall} when {@code blockingHandWrittenSameRecord}
	 * stopped recording what the monitored call records: its span attribute keys and its buckets.
	 * Checked in the monitored case's JVM only: the other cases' JVMs never run the other kind of
	 * call, whose types would change what the JIT compiles for them.
	 */
	@State(Scope.Benchmark)
	public static class SameRecordCheck {

		@Setup(Level.Trial)
		public void check(Tracing state) {
			CountingSpanExporter exporter = state.context.getBean(CountingSpanExporter.class);
			Map<String, Set<String>> keys = new ConcurrentHashMap<>();
			exporter.attributeKeys = keys;
			state.monitored.complete("hi");
			state.sameRecord.complete(state.bare);
			state.context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
			exporter.attributeKeys = null;
			System.out.println("span attribute keys: " + keys);
			check("span attributes", keys.get("CLIENT chat gpt-4o"), keys.get("INTERNAL chat gpt-4o"));
			MeterRegistry meters = state.context.getBean(MeterRegistry.class);
			check("duration buckets", buckets(meters.get("llm.request.duration").timer().takeSnapshot()),
					buckets(meters.get(HAND_WRITTEN_SAME_RECORD).timer().takeSnapshot()));
			check("tokens per call buckets",
					buckets(meters.get("llm.tokens.per.call").tag("type", "output").summary().takeSnapshot()),
					buckets(meters.get("hand.written.tokens.per.call").summary().takeSnapshot()));
		}

		private static List<Double> buckets(HistogramSnapshot snapshot) {
			return Arrays.stream(snapshot.histogramCounts()).map(CountAtBucket::bucket).toList();
		}

		private static void check(String what, @Nullable Object monitored, @Nullable Object handWritten) {
			if (monitored == null || !monitored.equals(handWritten)) {
				throw new IllegalStateException("blockingHandWrittenSameRecord does not record the same " + what
						+ " as @MonitoredLlmCall: " + monitored + " against " + handWritten);
			}
		}

	}

	/** The observation registry is {@link ObservationRegistry#NOOP}. */
	public static class NoopRegistry extends ApplicationState {

		@Override
		String[] properties() {
			return new String[] { "benchmark.observation-registry=noop" };
		}

	}

	/** An {@link ObservationPredicate} disables every LLM call observation and the hand-written one. */
	public static class DisabledByPredicate extends ApplicationState {

		@Override
		String[] properties() {
			return new String[] { "benchmark.llm-calls=disabled" };
		}

	}

	@Benchmark
	public String blockingBare(Tracing state) {
		return state.bare.complete("hi");
	}

	@Benchmark
	public String blockingHandWrittenObservation(Tracing state) {
		return handWritten(state);
	}

	/**
	 * What Micrometer charges before any predicate can say no: a hand-written observation that the
	 * same predicate disables (its context is built first, to be asked with).
	 */
	@Benchmark
	public String blockingHandWrittenDisabledByPredicate(DisabledByPredicate state) {
		return handWritten(state);
	}

	private static String handWritten(ApplicationState state) {
		ModelClient bare = state.bare;
		return Observation.createNotStarted(HAND_WRITTEN, state.registry)
			.lowCardinalityKeyValue("model", "gpt-4o")
			.lowCardinalityKeyValue("provider", "openai")
			.observe(() -> bare.complete("hi"));
	}

	/**
	 * A hand-written observation that records what {@code @MonitoredLlmCall} records for this
	 * call, through the same registries: the same span name, low-cardinality tags (status and
	 * error type at the end) and GenAI span attribute keys, the answer's tokens counted with the
	 * starter's tokenizer, the tokens, tokens-per-call and in-flight meters, and the same buckets
	 * on its duration timer and tokens-per-call summary (a meter filter gives them llm-monitor's
	 * configuration). Its meters are registered once, as careful hand-written code would; Spring
	 * Boot's default tracing handler writes its span (INTERNAL, string attributes) where
	 * llm-monitor's writes a CLIENT span with typed attributes; a blocking call has no first token
	 * to time. It leaves out the calls remembered for feedback, slow-call detection and the health
	 * indicator's window. {@link SameRecordCheck} compares the span attribute keys and the buckets
	 * of both at the start of {@code blockingMonitoredLlmCall} and fails its trial when they differ.
	 */
	@Benchmark
	public String blockingHandWrittenSameRecord(Tracing state) {
		return state.sameRecord.complete(state.bare);
	}

	@Benchmark
	public String blockingMonitoredLlmCall(Tracing state, SameRecordCheck check) {
		return state.monitored.complete("hi");
	}

	/** The floor of the two benchmarks below: an aspect that only proceeds, on the same method. */
	@Benchmark
	public String blockingPassThroughAspect(Tracing state) {
		return state.monitored.completePassThrough("hi");
	}

	@Benchmark
	public String blockingNoopRegistry(NoopRegistry state) {
		return state.monitored.complete("hi");
	}

	@Benchmark
	public String blockingDisabledByPredicate(DisabledByPredicate state) {
		return state.monitored.complete("hi");
	}

	@Benchmark
	public String monoBare(Tracing state) {
		return state.bare.completeMono("hi").block();
	}

	@Benchmark
	public String monoHandWrittenObservation(Tracing state) {
		ObservationRegistry registry = state.registry;
		ModelClient bare = state.bare;
		return Mono.defer(() -> {
			Observation observation = Observation.createNotStarted(HAND_WRITTEN, registry)
				.lowCardinalityKeyValue("model", "gpt-4o")
				.lowCardinalityKeyValue("provider", "openai")
				.start();
			return bare.completeMono("hi")
				.doOnError(observation::error)
				.doFinally((signal) -> observation.stop())
				.contextWrite((context) -> context.put(
						io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor.KEY, observation));
		}).block();
	}

	@Benchmark
	public String monoMonitoredLlmCall(Tracing state) {
		return state.monitored.completeMono("hi").block();
	}

	/** The hand-written monitoring of {@link #blockingHandWrittenSameRecord}. */
	static final class SameRecord {

		private final ObservationRegistry registry;

		private final TokenCounter tokenCounter;

		private final AtomicLong active = new AtomicLong();

		private final Counter outputTokens;

		private final DistributionSummary outputTokensPerCall;

		SameRecord(ObservationRegistry registry, MeterRegistry meters, TokenCounter tokenCounter) {
			this.registry = registry;
			this.tokenCounter = tokenCounter;
			Tags identity = Tags.of("model", "gpt-4o", "provider", "openai", "operation", "chat");
			Gauge.builder("hand.written.active", this.active, AtomicLong::get).tags(identity).register(meters);
			this.outputTokens = Counter.builder("hand.written.tokens").tags(identity).tag("type", "output").register(meters);
			this.outputTokensPerCall = DistributionSummary.builder("hand.written.tokens.per.call")
				.tags("model", "gpt-4o", "provider", "openai", "type", "output")
				.register(meters);
		}

		String complete(ModelClient client) {
			Observation observation = Observation.createNotStarted(HAND_WRITTEN_SAME_RECORD, this.registry)
				.contextualName("chat gpt-4o")
				.lowCardinalityKeyValue("model", "gpt-4o")
				.lowCardinalityKeyValue("provider", "openai")
				.lowCardinalityKeyValue("operation", "chat")
				.highCardinalityKeyValue("gen_ai.operation.name", "chat")
				.highCardinalityKeyValue("gen_ai.provider.name", "openai")
				.highCardinalityKeyValue("gen_ai.request.model", "gpt-4o")
				.highCardinalityKeyValue("gen_ai.request.stream", "false")
				.start();
			this.active.incrementAndGet();
			try (Observation.Scope scope = observation.openScope()) {
				String answer = client.complete("hi");
				long tokens = this.tokenCounter.countTokens("gpt-4o", answer);
				this.outputTokens.increment(tokens);
				this.outputTokensPerCall.record(tokens);
				observation.lowCardinalityKeyValue("status", "success")
					.lowCardinalityKeyValue("error_type", "none")
					.highCardinalityKeyValue("gen_ai.usage.output_tokens", Long.toString(tokens))
					.highCardinalityKeyValue("llm.usage.output_tokens.source", "tokenizer");
				return answer;
			}
			catch (RuntimeException ex) {
				observation.lowCardinalityKeyValue("status", "error").error(ex);
				throw ex;
			}
			finally {
				this.active.decrementAndGet();
				observation.stop();
			}
		}

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

		@PassThrough
		public String completePassThrough(String prompt) {
			return ANSWER;
		}

	}

	/** Keeps no span: counts them, so that memory stays flat over the run. */
	static final class CountingSpanExporter implements SpanExporter {

		final AtomicLong exported = new AtomicLong();

		/**
		 * While {@link SameRecordCheck} runs, the attribute keys of the last span of each kind and
		 * name; {@code null} otherwise, so that the exporter adds nothing to what a call allocates.
		 */
		volatile @Nullable Map<String, Set<String>> attributeKeys;

		@Override
		public CompletableResultCode export(java.util.Collection<SpanData> spans) {
			this.exported.addAndGet(spans.size());
			Map<String, Set<String>> keys = this.attributeKeys;
			if (keys != null) {
				for (SpanData span : spans) {
					keys.put(span.getKind() + " " + span.getName(), span.getAttributes()
						.asMap()
						.keySet()
						.stream()
						.map(AttributeKey::getKey)
						.collect(Collectors.toCollection(TreeSet::new)));
				}
			}
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

	/** Marks the method of {@link PassThroughAspect}. */
	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@interface PassThrough {

	}

	/** The least an {@code @Around} aspect costs: it only proceeds. */
	@Aspect
	static class PassThroughAspect {

		@Around("execution(@io.llmmonitor.benchmarks.MonitoredCallBenchmark.PassThrough * *(..))")
		Object proceed(ProceedingJoinPoint joinPoint) throws Throwable {
			return joinPoint.proceed();
		}

	}

	@SpringBootApplication
	static class BenchmarkApplication {

		@Bean
		PassThroughAspect passThroughAspect() {
			return new PassThroughAspect();
		}

		@Bean
		@ConditionalOnProperty(name = "benchmark.observation-registry", havingValue = "noop")
		ObservationRegistry observationRegistry() {
			return ObservationRegistry.NOOP;
		}

		@Bean
		@ConditionalOnProperty(name = "benchmark.llm-calls", havingValue = "disabled")
		ObservationPredicate noLlmCalls() {
			return (name, context) -> !(context instanceof LlmCallContext || HAND_WRITTEN.equals(name));
		}

		@Bean
		ModelClient monitoredClient() {
			return new ModelClient();
		}

		@Bean
		CountingSpanExporter countingSpanExporter() {
			return new CountingSpanExporter();
		}

		/**
		 * The hand-written meters of {@code blockingHandWrittenSameRecord} get what llm-monitor's
		 * filters give the meters they stand for: the same buckets, the same tags.
		 */
		@Bean
		MeterFilter handWrittenAsLlmMeters(ObjectProvider<LlmHistogramMeterFilter> histograms,
				ObjectProvider<LlmTokensPerCallBucketsMeterFilter> tokensPerCall) {
			Map<String, String> llmNames = Map.of(HAND_WRITTEN_SAME_RECORD, "llm.request.duration",
					"hand.written.tokens.per.call", "llm.tokens.per.call");
			return new MeterFilter() {

				@Override
				public Meter.Id map(Meter.Id id) {
					String llmName = llmNames.get(id.getName());
					return (llmName != null) ? histograms.getObject().map(id.withName(llmName)).withName(id.getName()) : id;
				}

				@Override
				public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
					String llmName = llmNames.get(id.getName());
					if (llmName == null) {
						return config;
					}
					Meter.Id llmId = id.withName(llmName);
					return tokensPerCall.getObject().configure(llmId, histograms.getObject().configure(llmId, config));
				}

			};
		}

	}

}
