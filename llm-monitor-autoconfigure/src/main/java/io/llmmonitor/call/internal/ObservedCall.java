package io.llmmonitor.call.internal;

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

	/**
	 * Marks the call as a stream of several elements or a single result, when that is known only
	 * after it started (a method declared {@code Object} that returned a {@code Flux}); before any
	 * element.
	 */
	default void markStream(boolean stream) {
	}

	/** A value the call produced: a stream element or the result. {@code null} is ignored. */
	void onElement(@Nullable Object element);

	/**
	 * Ends the call: the first invocation wins, later ones do nothing, so complete, error and
	 * cancel racing each other end the call exactly once.
	 */
	void end(CallStatus status, @Nullable Throwable error);

}
