package io.llmmonitor.call;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Observes reactive return values (Reactor's {@code Mono} and {@code Flux}) from their
 * subscription to their completion. Kept behind an interface so that everything else works
 * without Reactor on the classpath.
 */
public interface ReactiveReturnValues {

	/** Whether values of this declared return type are reactive. */
	boolean supports(Class<?> returnType);

	/** Whether values of this declared return type are streams of several elements. */
	boolean isStream(Class<?> returnType);

	/**
	 * @param publisher the value returned by the monitored method
	 * @param starter starts the call on each subscription
	 * @param assemblyParent the observation current when the method was invoked
	 * @return the publisher to hand to the caller instead
	 */
	Object observe(Object publisher, CallStarter starter, @Nullable Observation assemblyParent);

}
