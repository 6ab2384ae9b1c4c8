package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default bucket boundaries of the LLM histograms.
 */
class LlmHistogramBucketsTests {

	@Test
	void timePerOutputTokenStartsAtOneMillisecondSoThatFastModelsSpreadOverBuckets() {
		assertThat(LlmHistogramBuckets.DEFAULTS.timePerOutputToken().get(0)).isEqualTo(Duration.ofMillis(1));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(new LlmHistogramMeterFilter(LlmHistogramBuckets.DEFAULTS));
		Timer timer = Timer.builder(LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN).register(registry);

		// 300 tokens/s (3.3 ms a token) and 150 tokens/s (6.7 ms a token)
		timer.record(3_333_333, TimeUnit.NANOSECONDS);
		timer.record(6_666_667, TimeUnit.NANOSECONDS);

		CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
		assertThat(countAt(buckets, 0.0025)).isZero();
		assertThat(countAt(buckets, 0.005)).isEqualTo(1);
		assertThat(countAt(buckets, 0.0075)).isEqualTo(2);
	}

	private static double countAt(CountAtBucket[] buckets, double seconds) {
		return Arrays.stream(buckets)
			.filter((bucket) -> bucket.bucket(TimeUnit.SECONDS) == seconds)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no bucket at " + seconds + " s"))
			.count();
	}

}
