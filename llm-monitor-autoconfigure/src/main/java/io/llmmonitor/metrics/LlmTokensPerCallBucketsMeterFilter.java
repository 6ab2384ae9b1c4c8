package io.llmmonitor.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the fixed boundaries of {@code llm_tokens_per_call}
 * ({@link LlmHistogramMeterFilter#TOKENS_PER_CALL_BUCKETS}) under a user's SLO boundaries set
 * for a prefix of its name: ordered after Spring Boot's {@code PropertiesMeterFilter} and the
 * user's own {@code MeterFilter} beans, it adds them back to whatever
 * {@code management.metrics.distribution.slo.llm} (or {@code slo.llm.tokens},
 * {@code slo.llm.tokens.per}) or such a filter set.
 * <p>
 * Why: the drift rules ({@code prometheus/rules/llm-budget-drift-rules.yml}, alert
 * {@code LlmDriftDetected}) read these boundaries by {@code le}; a setting meant for the duration
 * timers would otherwise remove them, and the token drift would stop answering without a word.
 * Added boundaries keep the rules right (they take differences of cumulative buckets). A user who
 * names the meter itself ({@code slo.llm.tokens.per.call}) means it: that setting replaces the
 * fixed boundaries, with a warning at start-up when it leaves out some of them.
 */
public class LlmTokensPerCallBucketsMeterFilter implements MeterFilter {

	private static final Log logger = LogFactory.getLog(LlmTokensPerCallBucketsMeterFilter.class);

	private static final double[] FIXED = LlmHistogramMeterFilter.TOKENS_PER_CALL_BUCKETS.stream()
		.mapToDouble(Double::doubleValue)
		.toArray();

	private final boolean keepFixedBuckets;

	/**
	 * @param sloOfTheMeter the boundaries that {@code management.metrics.distribution.slo.llm.tokens.per.call}
	 * gives a distribution summary (none for a duration), {@code null} when the user did not name the meter
	 */
	public LlmTokensPerCallBucketsMeterFilter(double @Nullable [] sloOfTheMeter) {
		this.keepFixedBuckets = (sloOfTheMeter == null);
		if (sloOfTheMeter != null) {
			warnOfMissingBoundaries(sloOfTheMeter);
		}
	}

	@Override
	public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		if (!this.keepFixedBuckets || !id.getName().equals(LlmMetricsObservationHandler.TOKENS_PER_CALL)) {
			return config;
		}
		double[] slo = config.getServiceLevelObjectiveBoundaries();
		double[] union = DoubleStream
			.concat(Arrays.stream(FIXED), (slo != null) ? Arrays.stream(slo) : DoubleStream.empty())
			.distinct()
			.sorted()
			.toArray();
		if (slo != null && union.length == slo.length) {
			return config;
		}
		return DistributionStatisticConfig.builder().serviceLevelObjectives(union).build().merge(config);
	}

	private static void warnOfMissingBoundaries(double[] sloOfTheMeter) {
		Set<Double> boundaries = Arrays.stream(sloOfTheMeter).boxed().collect(Collectors.toSet());
		List<Double> missing = LlmHistogramMeterFilter.TOKENS_PER_CALL_BUCKETS.stream()
			.filter((boundary) -> !boundaries.contains(boundary))
			.toList();
		if (!boundaries.isEmpty() && !missing.isEmpty()) {
			logger.warn("management.metrics.distribution.slo." + LlmMetricsObservationHandler.TOKENS_PER_CALL
					+ " replaces the bucket boundaries of llm_tokens_per_call and leaves out " + missing
					+ ": the token drift rules of prometheus/rules/llm-budget-drift-rules.yml"
					+ " (application_model_le:llm_tokens_per_call_bucket:*, the input_tokens and output_tokens"
					+ " distributions of application_model:llm_drift_psi:1h_7d, hence LlmDriftDetected) read them"
					+ " by le and stop answering; add them to the property or change the rules' pairs");
		}
	}

}
