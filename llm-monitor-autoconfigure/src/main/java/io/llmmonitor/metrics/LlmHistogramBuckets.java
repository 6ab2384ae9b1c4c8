package io.llmmonitor.metrics;

import java.time.Duration;
import java.util.List;

/**
 * Histogram bucket boundaries of the LLM metrics.
 *
 * @param requestDuration {@code llm_request_duration_seconds} and {@code llm_endpoint_duration_seconds}
 * @param timeToFirstToken {@code llm_time_to_first_token_seconds}
 * @param timePerOutputToken {@code llm_time_per_output_token_seconds}
 * @param tokenGenerationRate {@code llm_token_generation_rate}, in tokens per second; none (a
 * summary: count, sum and max) by default
 */
public record LlmHistogramBuckets(List<Duration> requestDuration, List<Duration> timeToFirstToken,
		List<Duration> timePerOutputToken, List<Double> tokenGenerationRate) {

	/**
	 * Defaults after the OpenTelemetry GenAI semantic conventions' advice (request duration,
	 * time per output token) and vLLM (time to first token), stretched to minutes and tens of
	 * seconds respectively for long generations and cold models; time per output token starts at
	 * 1 ms, so that fast models (300 tokens/s is 3.3 ms a token) spread over several buckets.
	 * The token generation rate has no buckets: it is the inverse of the time per output token of
	 * the same call, so the buckets of that one give its quantiles ({@code 1 / histogram_quantile(q,
	 * ...time_per_output_token...)} is the {@code 1 - q} quantile of the rate).
	 */
	public static final LlmHistogramBuckets DEFAULTS = new LlmHistogramBuckets(
			seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84,
					327.68),
			seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
					40.0, 80.0),
			seconds(0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0,
					2.5),
			List.of());

	private static List<Duration> seconds(double... values) {
		return java.util.Arrays.stream(values).mapToObj((value) -> Duration.ofNanos(Math.round(value * 1e9))).toList();
	}

}
