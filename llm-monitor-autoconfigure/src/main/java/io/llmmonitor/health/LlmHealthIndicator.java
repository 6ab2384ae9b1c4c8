package io.llmmonitor.health;

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
 * calls do not count either way); the health is DOWN when every model called so far is failing,
 * else UP. The details show each model (by its metric tag, so bounded by
 * {@code llm.monitor.max-models}): failing or not, consecutive failures, last success and
 * failure, last error type.
 * <p>
 * Spring Boot's liveness and readiness groups do not include it unless configured to.
 */
public class LlmHealthIndicator implements HealthIndicator, ObservationHandler<LlmCallContext> {

	private final int failureThreshold;

	private final Clock clock;

	private final ConcurrentMap<String, ModelHealth> models = new ConcurrentHashMap<>();

	/**
	 * @param failureThreshold consecutive failed calls after which a model is failing
	 * @param clock the wall clock of the timestamps
	 */
	public LlmHealthIndicator(int failureThreshold, Clock clock) {
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be 1 or more, not " + failureThreshold);
		}
		this.failureThreshold = failureThreshold;
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
		Map<String, Map<String, Object>> details = new TreeMap<>();
		boolean anyAnswering = false;
		for (Map.Entry<String, ModelHealth> entry : this.models.entrySet()) {
			Map<String, Object> model = entry.getValue().details(this.failureThreshold);
			anyAnswering |= !Boolean.TRUE.equals(model.get("failing"));
			details.put(entry.getKey(), model);
		}
		Health.Builder health = anyAnswering ? Health.up() : Health.down();
		return health.withDetail("failureThreshold", this.failureThreshold).withDetail("models", details).build();
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

		synchronized Map<String, Object> details(int failureThreshold) {
			Map<String, Object> details = new TreeMap<>();
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

	}

}
