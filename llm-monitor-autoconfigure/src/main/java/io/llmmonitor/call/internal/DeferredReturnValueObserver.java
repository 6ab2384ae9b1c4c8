package io.llmmonitor.call.internal;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Values that stand for work a framework completes after the method returned, such as Spring
 * MVC's {@code DeferredResult}, {@code SseEmitter} or {@code Callable}: the call started on
 * method entry ends when that work is done. Kept behind an interface so that everything else
 * works without the framework on the classpath.
 */
public interface DeferredReturnValueObserver {

	/**
	 * Arranges for the call to end when the work this value stands for is done.
	 * @param value the value returned by the monitored method, not {@code null}
	 * @param call the call started on method entry
	 * @param reactive for values that carry a reactive value (a response entity with a
	 * {@code Flux} body): hands the call over to that value, and returns it observed, or
	 * {@code null} when it is not reactive
	 * @return the value to hand back instead (usually the same), or {@code null} when this value
	 * is none of this kind: the call then ends now
	 */
	@Nullable Object observe(Object value, ObservedCall call, Function<Object, @Nullable Object> reactive);

}
