package io.llmmonitor.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code llm} health contributor: whether the application can still get answers from its
 * models. A model is failing once its last {@code failureThreshold} calls all failed (cancelled
 * calls do not count either way). Only recent calls speak: a model whose last call ended longer
 * than {@code window} ago is ignored, so that an old success of one model does not keep the
 * health UP while the model in use fails every call. The health is DOWN when at least one model
 * was called within the window and every such model is failing, else UP (no recent call: UP).
 * The details show each model (by its metric tags, so bounded by {@code llm.monitor.max-models}
 * and {@code llm.monitor.max-providers}): recent or not, failing or not, consecutive failures,
 * last success and failure, last error type.
 * <p>
 * Spring Boot's liveness and readiness groups do not include it unless configured to.
 */
public class LlmHealthIndicator implements HealthIndicator, ObservationHandler<LlmCallContext> {

	/** The default of {@code llm.monitor.health.window}. */
	public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

	private final int failureThreshold;

	private final Duration window;

	private final Clock clock;

	private final ConcurrentMap<String, ModelHealth> models = new ConcurrentHashMap<>();

	/**
	 * An indicator with the {@linkplain #DEFAULT_WINDOW default window}.
	 * @param failureThreshold consecutive failed calls after which a model is failing
	 * @param clock the wall clock of the timestamps
	 */
	public LlmHealthIndicator(int failureThreshold, Clock clock) {
		this(failureThreshold, DEFAULT_WINDOW, clock);
	}

	/**
	 * @param failureThreshold consecutive failed calls after which a model is failing
	 * @param window models without a call that ended within it are ignored
	 * @param clock the wall clock of the timestamps
	 */
	public LlmHealthIndicator(int failureThreshold, Duration window, Clock clock) {
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be 1 or more, not " + failureThreshold);
		}
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be greater than 0, not " + window);
		}
		this.failureThreshold = failureThreshold;
		this.window = window;
		this.clock = clock;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStop(LlmCallContext context) {
		CallStatus status = context.getStatus();
		if (status == null || status == CallStatus.CANCELLED) {
			return;
		}
		String key = context.getProvider().isEmpty() ? context.getModelTag()
				: context.getProviderTag() + "/" + context.getModelTag();
		ModelHealth model = this.models.computeIfAbsent(key, (name) -> new ModelHealth());
		Instant now = Instant.ofEpochMilli(this.clock.wallTime());
		if (status == CallStatus.SUCCESS) {
			model.succeeded(now);
		}
		else {
			model.failed(now, DefaultLlmCallObservationConvention.errorType(context.getError()));
		}
	}

	@Override
	public Health health() {
		if (this.models.isEmpty()) {
			return Health.up().withDetail("models", Map.of()).build();
		}
		Instant since = Instant.ofEpochMilli(this.clock.wallTime()).minus(this.window);
		Map<String, Map<String, Object>> details = new TreeMap<>();
		boolean anyRecent = false;
		boolean anyAnswering = false;
		for (Map.Entry<String, ModelHealth> entry : this.models.entrySet()) {
			Map<String, Object> model = entry.getValue().details(this.failureThreshold, since);
			if (Boolean.TRUE.equals(model.get("recent"))) {
				anyRecent = true;
				anyAnswering |= !Boolean.TRUE.equals(model.get("failing"));
			}
			details.put(entry.getKey(), model);
		}
		Health.Builder health = (anyRecent && !anyAnswering) ? Health.down() : Health.up();
		return health.withDetail("failureThreshold", this.failureThreshold)
			.withDetail("window", this.window.toString())
			.withDetail("models", details)
			.build();
	}

	/** What the calls of one model did lately. */
	private static final class ModelHealth {

		private int consecutiveFailures;

		private @Nullable Instant lastSuccess;

		private @Nullable Instant lastFailure;

		private @Nullable String lastErrorType;

		synchronized void succeeded(Instant now) {
			this.consecutiveFailures = 0;
			this.lastSuccess = now;
		}

		synchronized void failed(Instant now, String errorType) {
			this.consecutiveFailures++;
			this.lastFailure = now;
			this.lastErrorType = errorType;
		}

		/** @param since calls that ended before it are not recent */
		synchronized Map<String, Object> details(int failureThreshold, Instant since) {
			Map<String, Object> details = new TreeMap<>();
			details.put("recent", isAfter(this.lastSuccess, since) || isAfter(this.lastFailure, since));
			details.put("failing", this.consecutiveFailures >= failureThreshold);
			details.put("consecutiveFailures", this.consecutiveFailures);
			if (this.lastSuccess != null) {
				details.put("lastSuccess", this.lastSuccess.toString());
			}
			if (this.lastFailure != null) {
				details.put("lastFailure", this.lastFailure.toString());
				details.put("lastErrorType", this.lastErrorType);
			}
			return details;
		}

		private static boolean isAfter(@Nullable Instant time, Instant since) {
			return time != null && !time.isBefore(since);
		}

	}

}
