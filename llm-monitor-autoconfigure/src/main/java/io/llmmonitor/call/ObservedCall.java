package io.llmmonitor.call;

import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * One monitored call in flight. Implementations never throw: a failure inside monitoring is
 * logged and the monitored call goes on.
 */
public interface ObservedCall {

	/** The started observation of this call. */
	Observation observation();

	/** A value the call produced: a stream element or the result. {@code null} is ignored. */
	void onElement(@Nullable Object element);

	/**
	 * Ends the call: the first invocation wins, later ones do nothing, so complete, error and
	 * cancel racing each other end the call exactly once.
	 */
	void end(CallStatus status, @Nullable Throwable error);

}
