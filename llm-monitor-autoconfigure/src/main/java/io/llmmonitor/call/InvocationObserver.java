package io.llmmonitor.call;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes a method invocation until the work it stands for is done, whatever its return type:
 * plain values at return, {@code CompletionStage} at completion, reactive values from
 * subscription to completion, error or cancel.
 */
public final class InvocationObserver {

	private final ObservationRegistry registry;

	private final @Nullable ReactiveReturnValues reactiveReturnValues;

	/**
	 * @param registry source of the current observation, the parent of the calls
	 * @param reactiveReturnValues support for reactive returns, {@code null} without Reactor
	 */
	public InvocationObserver(ObservationRegistry registry, @Nullable ReactiveReturnValues reactiveReturnValues) {
		this.registry = registry;
		this.reactiveReturnValues = reactiveReturnValues;
	}

	/** A method invocation to observe. */
	@FunctionalInterface
	public interface Invocation<T> {

		T proceed() throws Throwable;

	}

	/** Whether the declared return type is a stream of several elements (a {@code Flux}). */
	public boolean isStream(Class<?> returnType) {
		return this.reactiveReturnValues != null && this.reactiveReturnValues.isStream(returnType);
	}

	/**
	 * Observes an invocation according to its declared return type.
	 */
	public Object observe(Class<?> returnType, CallStarter starter, Invocation<?> invocation) throws Throwable {
		if (this.reactiveReturnValues != null && this.reactiveReturnValues.supports(returnType)) {
			return observeReactive(starter, invocation);
		}
		if (CompletionStage.class.isAssignableFrom(returnType)) {
			return observeAsyncInvocation(starter, invocation);
		}
		return observeBlockingInvocation(starter, invocation);
	}

	<T> T observeBlocking(CallStarter starter, Invocation<T> invocation) {
		return sneakyProceed(() -> observeBlockingInvocation(starter, invocation));
	}

	<T> T observeAsync(CallStarter starter, Invocation<T> invocation) {
		return sneakyProceed(() -> observeAsyncInvocation(starter, invocation));
	}

	private <T> T observeBlockingInvocation(CallStarter starter, Invocation<T> invocation) throws Throwable {
		ObservedCall call = startSafely(starter, this.registry.getCurrentObservation());
		if (call == null) {
			return invocation.proceed();
		}
		T result = proceedInScope(call, invocation);
		call.onElement(result);
		call.end(CallStatus.SUCCESS, null);
		return result;
	}

	private <T> T observeAsyncInvocation(CallStarter starter, Invocation<T> invocation) throws Throwable {
		ObservedCall call = startSafely(starter, this.registry.getCurrentObservation());
		if (call == null) {
			return invocation.proceed();
		}
		T result = proceedInScope(call, invocation);
		if (result == null) {
			call.end(CallStatus.SUCCESS, null);
			return null;
		}
		((CompletionStage<?>) result).whenComplete((value, error) -> {
			if (error == null) {
				call.onElement(value);
				call.end(CallStatus.SUCCESS, null);
				return;
			}
			Throwable cause = unwrap(error);
			call.end((cause instanceof CancellationException) ? CallStatus.CANCELLED : CallStatus.ERROR, cause);
		});
		return result;
	}

	/**
	 * Runs the invocation with the call's observation current, so that calls made inside become
	 * its children; ends the call as failed when the invocation throws.
	 */
	private <T> T proceedInScope(ObservedCall call, Invocation<T> invocation) throws Throwable {
		Observation.Scope scope = ObservationScopes.open(this.registry, call.observation());
		try {
			return invocation.proceed();
		}
		catch (Throwable ex) {
			call.end(CallStatus.ERROR, ex);
			throw ex;
		}
		finally {
			ObservationScopes.close(scope);
		}
	}

	private Object observeReactive(CallStarter starter, Invocation<?> invocation) throws Throwable {
		Observation assemblyParent = this.registry.getCurrentObservation();
		Object publisher;
		try {
			publisher = invocation.proceed();
		}
		catch (Throwable ex) {
			ObservedCall call = startSafely(starter, assemblyParent);
			if (call != null) {
				call.end(CallStatus.ERROR, ex);
			}
			throw ex;
		}
		if (publisher == null) {
			return null;
		}
		try {
			return this.reactiveReturnValues.observe(publisher, starter, assemblyParent);
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("instrumenting a reactive return value", ex);
			return publisher;
		}
	}

	/**
	 * Starts a call whose parent need not be the observation current on this thread, as when a
	 * {@code Flux} is subscribed: the parent is put in scope while the call starts. Tracing takes
	 * the thread's current span over the parent observation's when they differ, and Spring MVC
	 * subscribes on the request thread, inside the HTTP server span: without the scope an LLM span
	 * would hang off the request instead of its endpoint.
	 * @return the call, or {@code null} (and a report) when monitoring fails
	 */
	public static @Nullable ObservedCall startSafelyUnder(CallStarter starter, @Nullable Observation parent) {
		if (parent == null) {
			return startSafely(starter, null);
		}
		Observation.Scope scope = ObservationScopes.open(parent);
		try {
			return startSafely(starter, parent);
		}
		finally {
			ObservationScopes.close(scope);
		}
	}

	/** Starts a call, or returns {@code null} (and reports why) when monitoring fails. */
	public static @Nullable ObservedCall startSafely(CallStarter starter, @Nullable Observation parent) {
		try {
			return starter.start(parent);
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("starting an observation", ex);
			return null;
		}
	}

	private static Throwable unwrap(Throwable error) {
		Throwable cause = error;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@SuppressWarnings("unchecked")
	private static <T, E extends Throwable> T sneakyProceed(Invocation<T> invocation) throws E {
		try {
			return invocation.proceed();
		}
		catch (Throwable ex) {
			throw (E) ex;
		}
	}

}
