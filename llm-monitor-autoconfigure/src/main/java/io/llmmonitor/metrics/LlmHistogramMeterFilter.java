package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.DefaultEndpointObservationConvention;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallLowCardinalityKeys;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Gives the LLM timers and summaries histogram buckets suited to LLMs, so that Prometheus can
 * compute quantiles across instances ({@code histogram_quantile} over {@code _bucket}), and keeps
 * the duration timers to the contract's tags: Micrometer's default handler adds an {@code error}
 * tag that {@code error_type} already carries.
 * <p>
 * The buckets are defaults: the auto-configuration orders this filter before Spring Boot's
 * {@code PropertiesMeterFilter}, so that a user's {@code management.metrics.distribution.*}
 * setting of an LLM meter (SLO boundaries, percentile histogram, percentiles, expected values,
 * expiry, buffer length) is laid over them, as over any meter's own configuration; SLO
 * boundaries that reach it already set (by a filter that a {@code MeterRegistryCustomizer} adds,
 * ahead of every filter bean) are kept as they are. One
 * exception, {@link LlmTokensPerCallBucketsMeterFilter}: the fixed boundaries of
 * {@code llm_tokens_per_call} stay under an SLO set for a prefix ({@code slo.llm}).
 */
public class LlmHistogramMeterFilter implements MeterFilter {

	/**
	 * Bucket boundaries of {@code llm_tokens_per_call}: powers of 4 from 16 to 262144 tokens, few
	 * buckets for a distribution the drift rules compare rather than read quantiles of. Fixed:
	 * the drift rules name them.
	 */
	public static final List<Double> TOKENS_PER_CALL_BUCKETS = List.of(16.0, 64.0, 256.0, 1024.0, 4096.0, 16384.0,
			65536.0, 262144.0);

	/**
	 * The tag {@code DefaultMeterObservationHandler} adds to every observation timer: the simple
	 * class name of any error, {@code none} without one.
	 * <p>
	 * One path names a call's error in metrics: the convention's {@code error_type}
	 * ({@code DefaultLlmCallObservationConvention}), and this filter removes Micrometer's
	 * {@code error} from the two duration timers. Why that one: {@code error_type} is bounded
	 * ({@code llm.monitor.max-error-types}, then {@code other}) where {@code error} takes the name
	 * of any exception class; it names the timeout that a wrapper carries, as
	 * {@code llm_errors_total}, the spans and the call log do; a custom convention changes it
	 * for metrics and spans at once; and it is the contract's name. Micrometer's tag cannot be
	 * turned off at its source: the handler appends it after the convention's key values, and
	 * replacing Spring Boot's handler would take the timers of every other observation with it.
	 */
	private static final String MICROMETER_ERROR_TAG = "error";

	/** The status tag of both duration timers. */
	private static final String STATUS_TAG = LlmCallLowCardinalityKeys.STATUS.asString();

	/** The statuses of failed and cancelled calls: every {@link CallStatus} but success. */
	private static final Set<String> FAILURE_STATUSES = Arrays.stream(CallStatus.values())
		.filter((status) -> status != CallStatus.SUCCESS)
		.map(CallStatus::tagValue)
		.collect(Collectors.toUnmodifiableSet());

	/** The one bucket of a failed or cancelled call's duration. */
	private static final double[] INFINITY_ONLY = { Double.POSITIVE_INFINITY };

	private final Map<String, double[]> bucketsByMeter;

	public LlmHistogramMeterFilter(LlmHistogramBuckets buckets) {
		double[] requestDuration = nanos(buckets.requestDuration());
		this.bucketsByMeter = Map.of(DefaultLlmCallObservationConvention.NAME, requestDuration,
				DefaultEndpointObservationConvention.NAME, requestDuration,
				LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN, nanos(buckets.timeToFirstToken()),
				LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN, nanos(buckets.timePerOutputToken()),
				LlmMetricsObservationHandler.TOKEN_GENERATION_RATE,
				buckets.tokenGenerationRate().stream().mapToDouble(Double::doubleValue).sorted().toArray(),
				LlmMetricsObservationHandler.TOKENS_PER_CALL,
				TOKENS_PER_CALL_BUCKETS.stream().mapToDouble(Double::doubleValue).toArray());
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		if (!isDurationTimer(id.getName()) || id.getTag(MICROMETER_ERROR_TAG) == null) {
			return id;
		}
		List<Tag> tags = new ArrayList<>();
		for (Tag tag : id.getTagsAsIterable()) {
			if (!tag.getKey().equals(MICROMETER_ERROR_TAG)) {
				tags.add(tag);
			}
		}
		return id.replaceTags(tags);
	}

	/**
	 * The buckets of the meter; none for a meter given no boundaries (a summary). The duration
	 * timers give their buckets to successful calls only: how long a call took to fail, or
	 * until its caller gave up, is read by no latency panel, SLO or alert, and its buckets would
	 * be repeated for every status and {@code error_type}. Failed and cancelled calls keep
	 * {@code _count} and {@code _sum} (rates, error ratios, mean duration) and the one bucket
	 * {@code le="+Inf"}, which keeps the family one histogram (Prometheus wants one type per
	 * family); queries of the buckets select {@code status="success"}.
	 * <p>
	 * The rule names the failures, not the success: only the statuses of {@link CallStatus}
	 * other than {@code success} ({@code error}, {@code cancelled}) lose their buckets. A custom
	 * {@code LlmCallObservationConvention} with statuses of its own ({@code ok}, {@code truncated},
	 * ...) keeps the buckets of all of them, as does a timer without a status tag: this filter
	 * cannot tell which of them are failures, and empty latency panels would be the worse mistake.
	 */
	@Override
	public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		double[] buckets = this.bucketsByMeter.get(id.getName());
		// boundaries set before this filter (a MeterRegistryCustomizer's filter) are the user's
		if (buckets == null || buckets.length == 0 || config.getServiceLevelObjectiveBoundaries() != null) {
			return config;
		}
		if (isDurationTimer(id.getName()) && isFailure(id)) {
			buckets = INFINITY_ONLY;
		}
		return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build().merge(config);
	}

	private static boolean isDurationTimer(String name) {
		return name.equals(DefaultLlmCallObservationConvention.NAME)
				|| name.equals(DefaultEndpointObservationConvention.NAME);
	}

	private static boolean isFailure(Meter.Id id) {
		String status = id.getTag(STATUS_TAG);
		return status != null && FAILURE_STATUSES.contains(status);
	}

	/** Timers take their boundaries in nanoseconds. */
	private static double[] nanos(List<Duration> durations) {
		return durations.stream().mapToDouble(Duration::toNanos).sorted().toArray();
	}

}
