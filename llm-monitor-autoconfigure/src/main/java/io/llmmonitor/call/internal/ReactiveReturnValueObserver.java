package io.llmmonitor.call.internal;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Observes reactive return values (Reactor's {@code Mono} and {@code Flux}, and every type that
 * Spring's {@code ReactiveAdapterRegistry} adapts, such as Kotlin's {@code Flow}) from their
 * subscription to their completion. Kept behind an interface so that everything else works
 * without Reactor on the classpath.
 */
public interface ReactiveReturnValueObserver {

	/** Whether every value of this declared return type is reactive. */
	boolean supports(Class<?> returnType);

	/** Whether values of this declared return type are streams of several elements. */
	boolean isStream(Class<?> returnType);

	/**
	 * Whether this value, returned by a method whose declared type does not tell (such as
	 * {@code Object}), is reactive.
	 */
	boolean isReactive(Object value);

	/**
	 * Observes a reactive value; whether it is a stream is decided by the value (a {@code Flux}
	 * or another multi-value type is one) through {@link CallStarter#withStream}.
	 * @param publisher the value returned by the monitored method
	 * @param starter starts the call on each subscription
	 * @param assemblyParent the observation current when the method was invoked
	 * @return the value to hand to the caller instead, of the same reactive type; the given one
	 * when it is not reactive
	 */
	Object observe(Object publisher, CallStarter starter, @Nullable Observation assemblyParent);

}
