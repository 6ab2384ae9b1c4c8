package io.llmmonitor.autoconfigure;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.metrics.LlmTokensPerCallBucketsMeterFilter;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallObservationConvention;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The LLM histogram buckets under Spring Boot's own metrics auto-configuration: they are the
 * default of the LLM meters, and a user's {@code management.metrics.distribution.*} setting of
 * one of them wins over it, as it does for any other meter.
 */
class LlmMonitorMetricsAutoConfigurationTests {

	private static final LlmCallSpec SPEC = new LlmCallSpec("gpt-4o", "openai", "chat", false);

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class));

	@Test
	void withoutDistributionPropertiesTheDurationHasTheLlmBuckets() {
		this.runner.run((context) -> assertThat(bucketsInSeconds(successfulCallTimer(context))).containsExactly(0.01,
				0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68));
	}

	@Test
	void theUsersSloBucketsReplaceTheLlmBuckets() {
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm.request.duration=1s,5s,30s")
			.run((context) -> assertThat(bucketsInSeconds(successfulCallTimer(context))).containsExactly(1.0, 5.0,
					30.0));
	}

	@Test
	void theUsersSloBucketsOfAPrefixReplaceTheLlmBuckets() {
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm=2s")
			.run((context) -> assertThat(bucketsInSeconds(successfulCallTimer(context))).containsExactly(2.0));
	}

	@Test
	void theUsersPercentilesHistogramExpectedValuesExpiryAndBufferLengthReachTheLlmMeters() {
		this.runner.withBean(LastMeterFilter.class)
			.withPropertyValues("management.metrics.distribution.percentiles-histogram.llm.request.duration=true",
					"management.metrics.distribution.minimum-expected-value.llm.request.duration=100ms",
					"management.metrics.distribution.maximum-expected-value.llm.request.duration=2s",
					// a Duration map binds a key with dots in brackets only
					"management.metrics.distribution.expiry[llm.request.duration]=7m",
					"management.metrics.distribution.buffer-length.llm.request.duration=2")
			.run((context) -> {
				successfulCallTimer(context);
				DistributionStatisticConfig config = context.getBean(LastMeterFilter.class).configOf(
						DefaultLlmCallObservationConvention.NAME);
				assertThat(config.isPercentileHistogram()).isTrue();
				assertThat(config.getMinimumExpectedValueAsDouble()).isEqualTo(Duration.ofMillis(100).toNanos());
				assertThat(config.getMaximumExpectedValueAsDouble()).isEqualTo(Duration.ofSeconds(2).toNanos());
				assertThat(config.getExpiry()).isEqualTo(Duration.ofMinutes(7));
				assertThat(config.getBufferLength()).isEqualTo(2);
				// the LLM buckets stay, as a meter's own SLO boundaries do under a percentile histogram
				assertThat(config.getServiceLevelObjectiveBoundaries()).hasSize(16);
			});
	}

	@Test
	void theUsersPercentilesAreAddedToTheLlmBuckets() {
		this.runner.withPropertyValues("management.metrics.distribution.percentiles.llm.request.duration=0.5,0.99")
			.run((context) -> {
				Timer timer = successfulCallTimer(context);
				assertThat(Arrays.stream(timer.takeSnapshot().percentileValues()).map(ValueAtPercentile::percentile))
					.containsExactly(0.5, 0.99);
				assertThat(bucketsInSeconds(timer)).hasSize(16);
			});
	}

	@Test
	void theUsersSloBucketsOfTheTimeToFirstTokenReplaceTheLlmBuckets() {
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm.time.to.first.token=250ms,1s")
			.run((context) -> assertThat(bucketsInSeconds(timeToFirstToken(context))).containsExactly(0.25, 1.0));
	}

	@Test
	void withoutDistributionPropertiesTheTimeToFirstTokenHasTheLlmBuckets() {
		this.runner.run((context) -> assertThat(bucketsInSeconds(timeToFirstToken(context))).hasSize(19)
			.contains(2.5, 5.0));
	}

	@Test
	void aFailedCallIsNamedByErrorTypeAloneTheTimeoutThatAWrapperCarries() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			RuntimeException failure = new IllegalStateException("I/O error", new SocketTimeoutException("Read timed out"));
			assertThatException()
				.isThrownBy(() -> context.getBean(LlmMonitor.class).call(SPEC, () -> {
					throw failure;
				}))
				.isSameAs(failure);
			Meter.Id id = context.getBean(MeterRegistry.class)
				.get(DefaultLlmCallObservationConvention.NAME)
				.tag("status", "error")
				.timer()
				.getId();
			assertThat(id.getTag("error_type")).isEqualTo("SocketTimeoutException");
			// Micrometer's default handler adds error=IllegalStateException: removed
			assertThat(id.getTag("error")).isNull();
		});
	}

	@Test
	void onlySuccessfulCallsHaveDurationBucketsTheOthersTheOneBucketInfinity() {
		this.runner.run((context) -> {
			MeterRegistry registry = oneSuccessfulAndOneFailedCall(context);
			assertThat(bucketsInSeconds(registry.get(DefaultLlmCallObservationConvention.NAME)
				.tag("status", "success")
				.timer())).hasSize(16);
			// one bucket, +Inf (le="+Inf" in Prometheus; the longest duration a timer holds here)
			CountAtBucket[] errorBuckets = registry.get(DefaultLlmCallObservationConvention.NAME)
				.tag("status", "error")
				.timer()
				.takeSnapshot()
				.histogramCounts();
			assertThat(errorBuckets).hasSize(1);
			assertThat(errorBuckets[0].bucket()).isGreaterThanOrEqualTo(Long.MAX_VALUE);
		});
	}

	/**
	 * A convention of the user's own with statuses of its own: the durations of those calls keep
	 * their buckets; only the failure statuses of {@code CallStatus} ({@code error},
	 * {@code cancelled}) are reduced to {@code +Inf}.
	 */
	@Test
	void aCustomConventionsOwnStatusesKeepTheirDurationBuckets() {
		this.runner.withBean(LlmCallObservationConvention.class, () -> new DefaultLlmCallObservationConvention() {
			@Override
			protected KeyValue statusTag(LlmCallContext context) {
				CallStatus status = context.getStatus();
				return KeyValue.of("status", (status == CallStatus.SUCCESS) ? "ok" : "failed_" + status.tagValue());
			}
		}).run((context) -> {
			MeterRegistry registry = oneSuccessfulAndOneFailedCall(context);
			assertThat(bucketsInSeconds(registry.get(DefaultLlmCallObservationConvention.NAME).tag("status", "ok").timer()))
				.hasSize(16);
			assertThat(bucketsInSeconds(
					registry.get(DefaultLlmCallObservationConvention.NAME).tag("status", "failed_error").timer()))
				.hasSize(16);
		});
	}

	/**
	 * {@code management.metrics.distribution.slo.llm} (a prefix of every LLM meter) does not take
	 * the fixed boundaries of {@code llm.tokens.per.call} away from the drift rules: its own are
	 * added to them.
	 */
	@Test
	void aPrefixSloKeepsTheFixedTokensPerCallBucketsAndAddsItsOwn() {
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm=100,1000")
			.run((context) -> assertThat(buckets(tokensPerCall(context))).containsExactly(16.0, 64.0, 100.0, 256.0,
					1000.0, 1024.0, 4096.0, 16384.0, 65536.0, 262144.0));
	}

	/**
	 * Named for {@code llm.tokens.per.call} itself, the user's boundaries replace the fixed ones,
	 * and the start-up log says which rules that breaks.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void anSloNamingTokensPerCallReplacesTheFixedBucketsWithAWarning(CapturedOutput output) {
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm.tokens.per.call=100,1000")
			.run((context) -> assertThat(buckets(tokensPerCall(context))).containsExactly(100.0, 1000.0));
		assertThat(output).contains("WARN")
			.contains("management.metrics.distribution.slo.llm.tokens.per.call replaces the bucket boundaries of"
					+ " llm_tokens_per_call and leaves out [16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0,"
					+ " 262144.0]")
			.contains("LlmDriftDetected");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void noWarningWhenTheNamedSloKeepsTheFixedBoundaries(CapturedOutput output) {
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm.tokens.per.call="
				+ "16,64,100,256,1024,4096,16384,65536,262144")
			.run((context) -> assertThat(buckets(tokensPerCall(context))).hasSize(9).contains(100.0));
		this.runner.withPropertyValues("management.metrics.distribution.slo.llm=100,1000")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("llm_tokens_per_call");
	}

	/**
	 * An SLO set by a {@code MeterFilter} of the user's own that a {@code MeterRegistryCustomizer}
	 * adds (ahead of every filter bean) wins over the LLM buckets, as a property does.
	 */
	@Test
	void anSloOfTheUsersCustomizerFilterReplacesTheLlmBuckets() {
		this.runner
			.withBean(MeterRegistryCustomizer.class,
					() -> (MeterRegistryCustomizer<MeterRegistry>) (registry) -> registry.config()
						.meterFilter(sloOfEveryLlmMeter(Duration.ofSeconds(5).toNanos())))
			.run((context) -> assertThat(bucketsInSeconds(successfulCallTimer(context))).containsExactly(5.0));
	}

	/**
	 * A {@code MeterFilter} bean of the user's own with an SLO for every LLM meter (as
	 * {@code slo.llm} sets it) does not take the fixed boundaries of {@code llm.tokens.per.call}
	 * away from the drift rules either.
	 */
	@Test
	void anSloOfTheUsersMeterFilterBeanKeepsTheFixedTokensPerCallBuckets() {
		this.runner.withBean("mySlo", MeterFilter.class, () -> sloOfEveryLlmMeter(100))
			.run((context) -> assertThat(buckets(tokensPerCall(context))).containsExactly(16.0, 64.0, 100.0, 256.0,
					1024.0, 4096.0, 16384.0, 65536.0, 262144.0));
	}

	/**
	 * Without Spring Boot's metrics module nothing applies {@code management.metrics.distribution.slo}:
	 * the filter neither warns of it nor gives up the fixed boundaries for it.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void withoutBootsMetricsPropertiesTheFilterKeepsTheFixedTokensPerCallBuckets(CapturedOutput output) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MetricsProperties.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("management.metrics.distribution.slo.llm.tokens.per.call=100,1000")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				registry.config()
					.meterFilter(sloOfEveryLlmMeter(100))
					.meterFilter(context.getBean(LlmTokensPerCallBucketsMeterFilter.class));
				assertThat(buckets(DistributionSummary.builder(LlmMetricsObservationHandler.TOKENS_PER_CALL)
					.register(registry))).containsExactly(16.0, 64.0, 100.0, 256.0, 1024.0, 4096.0, 16384.0, 65536.0,
							262144.0);
			});
		assertThat(output).doesNotContain("llm_tokens_per_call");
	}

	private static MeterFilter sloOfEveryLlmMeter(double boundary) {
		return new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return id.getName().startsWith("llm.")
						? DistributionStatisticConfig.builder().serviceLevelObjectives(boundary).build().merge(config)
						: config;
			}
		};
	}

	@Test
	void theTokenGenerationRateHasNoBucketsByDefault() {
		this.runner.run((context) -> assertThat(tokenRate(context).takeSnapshot().histogramCounts()).isEmpty());
		this.runner.withPropertyValues("llm.monitor.histogram.token-generation-rate=10,100")
			.run((context) -> assertThat(tokenRate(context).takeSnapshot().histogramCounts()).hasSize(2));
	}

	/** The meter as the metrics handler registers it, through the context's filters. */
	private static Timer timeToFirstToken(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return Timer.builder(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
			.register(context.getBean(MeterRegistry.class));
	}

	private static DistributionSummary tokenRate(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return DistributionSummary.builder(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE)
			.register(context.getBean(MeterRegistry.class));
	}

	private static DistributionSummary tokensPerCall(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return DistributionSummary.builder(LlmMetricsObservationHandler.TOKENS_PER_CALL)
			.register(context.getBean(MeterRegistry.class));
	}

	private static double[] buckets(DistributionSummary summary) {
		return Arrays.stream(summary.takeSnapshot().histogramCounts()).mapToDouble(CountAtBucket::bucket).toArray();
	}

	private static MeterRegistry oneSuccessfulAndOneFailedCall(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		LlmMonitor monitor = context.getBean(LlmMonitor.class);
		monitor.call(SPEC, () -> "answer");
		assertThatException().isThrownBy(() -> monitor.call(SPEC, () -> {
			throw new IllegalStateException("503");
		}));
		return context.getBean(MeterRegistry.class);
	}

	private static Timer successfulCallTimer(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		context.getBean(LlmMonitor.class).call(SPEC, () -> "answer");
		return context.getBean(MeterRegistry.class)
			.get(DefaultLlmCallObservationConvention.NAME)
			.tag("status", "success")
			.timer();
	}

	private static double[] bucketsInSeconds(Timer timer) {
		HistogramSnapshot snapshot = timer.takeSnapshot();
		return Arrays.stream(snapshot.histogramCounts())
			.mapToDouble((bucket) -> bucket.bucket(TimeUnit.SECONDS))
			.map((seconds) -> Math.round(seconds * 1e6) / 1e6)
			.toArray();
	}

	/**
	 * The last meter filter but llm-monitor's of {@code llm.tokens.per.call}: what it receives is
	 * what the other meters get.
	 */
	static class LastMeterFilter implements MeterFilter {

		private final Map<String, DistributionStatisticConfig> configs = new ConcurrentHashMap<>();

		@Override
		public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
			this.configs.put(id.getName(), config);
			return config;
		}

		DistributionStatisticConfig configOf(String name) {
			return this.configs.get(name);
		}

	}

}
