package io.llmmonitor.metrics;

import java.util.Arrays;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code llm_tokens_per_call}: the distribution of input and output tokens per call that the drift
 * rules compare, in its fixed buckets.
 */
class TokensPerCallTests {

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new AnswerExtractor());

	private final LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");

	@Test
	void eachCallRecordsItsInputAndOutputTokensInTheFixedBuckets() {
		this.monitors.monitor.call(this.spec, () -> new Answer(new LlmUsage(1000L, 50L)));
		this.monitors.monitor.call(this.spec, () -> new Answer(new LlmUsage(3000L, 70L)));

		DistributionSummary input = summary("input");
		assertThat(input.count()).isEqualTo(2);
		assertThat(input.totalAmount()).isEqualTo(4000);
		assertThat(bucketCounts(input)).containsExactly(0, 0, 0, 1, 2, 2, 2, 2);
		DistributionSummary output = summary("output");
		assertThat(output.count()).isEqualTo(2);
		assertThat(bucketCounts(output)).containsExactly(0, 1, 2, 2, 2, 2, 2, 2);
		assertThat(Arrays.stream(input.takeSnapshot().histogramCounts()).map(CountAtBucket::bucket))
			.containsExactlyElementsOf(LlmHistogramMeterFilter.TOKENS_PER_CALL_BUCKETS);
	}

	@Test
	void aCallWithoutUsageRecordsNothing() {
		this.monitors.monitor.call(this.spec, () -> new Answer(null));

		assertThat(this.monitors.meterRegistry.find(LlmMetricsObservationHandler.TOKENS_PER_CALL).summaries())
			.isEmpty();
	}

	private DistributionSummary summary(String type) {
		return this.monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS_PER_CALL)
			.tag("model", "gpt-4o")
			.tag("type", type)
			.summary();
	}

	private static double[] bucketCounts(DistributionSummary summary) {
		return Arrays.stream(summary.takeSnapshot().histogramCounts()).mapToDouble(CountAtBucket::count).toArray();
	}

	/** An answer with its usage and, when the response names one, its model. */
	record Answer(@Nullable LlmUsage usage, @Nullable String model) {

		Answer(@Nullable LlmUsage usage) {
			this(usage, null);
		}

	}

	static final class AnswerExtractor implements LlmResponseExtractor<Answer> {

		@Override
		public Class<Answer> responseType() {
			return Answer.class;
		}

		@Override
		public @Nullable CharSequence content(Answer answer) {
			return null;
		}

		@Override
		public @Nullable LlmUsage usage(Answer answer) {
			return answer.usage();
		}

		@Override
		public @Nullable String responseModel(Answer answer) {
			return answer.model();
		}

	}

}
