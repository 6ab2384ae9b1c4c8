package io.llmmonitor.call.internal;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Function;

import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Observes a method invocation until the work it stands for is done. What the method returns
 * at run time decides, not only its declared type: plain values at return, a
 * {@code CompletionStage} at completion, reactive values from subscription to completion, error
 * or cancel (a {@code Flux}, or another multi-value type, is a stream), and values that complete
 * later in a web framework (Spring MVC's {@code DeferredResult}, {@code SseEmitter}, ...) through
 * {@link DeferredReturnValueObserver}.
 * <p>
 * A method whose declared type is reactive starts its call on each subscription. One whose
 * declared type does not tell (such as {@code Object}, or a Kotlin {@code suspend} function,
 * which Spring invokes as a {@code Mono}) starts its call on entry, so that work done in the
 * method is timed and nested; when the value turns out reactive, its first subscription carries
 * on with that call and later subscriptions start their own. A value never subscribed ends that
 * call as cancelled when it is collected or after {@value CallTimeouts#WAIT_FACTOR} slow-request
 * thresholds, whichever comes first.
 */
public final class InvocationObserver implements AutoCloseable {

	private final ObservationRegistry registry;

	private final @Nullable ReactiveReturnValueObserver reactiveObserver;

	private final List<DeferredReturnValueObserver> deferredObservers;

	private final Duration subscriptionWait;

	private final CallTimeouts timeouts;

	private final boolean ownsTimeouts;

	/**
	 * @param registry source of the current observation, the parent of the calls
	 * @param reactiveObserver support for reactive returns, {@code null} without Reactor
	 */
	public InvocationObserver(ObservationRegistry registry, @Nullable ReactiveReturnValueObserver reactiveObserver) {
		this(registry, reactiveObserver, List.of());
	}

	/**
	 * @param registry source of the current observation, the parent of the calls
	 * @param reactiveObserver support for reactive returns, {@code null} without Reactor
	 * @param deferredObservers support for values that complete later (Spring MVC's async
	 * return values)
	 */
	public InvocationObserver(ObservationRegistry registry, @Nullable ReactiveReturnValueObserver reactiveObserver,
			List<DeferredReturnValueObserver> deferredObservers) {
		this(registry, reactiveObserver, deferredObservers, LlmMonitorSettings.DEFAULTS.slowRequestThreshold());
	}

	/**
	 * @param registry source of the current observation, the parent of the calls
	 * @param reactiveObserver support for reactive returns, {@code null} without Reactor
	 * @param deferredObservers support for values that complete later (Spring MVC's async
	 * return values)
	 * @param slowRequestThreshold the slow-request threshold: a call started on method entry
	 * waits {@value CallTimeouts#WAIT_FACTOR} times as long for the first subscription of the
	 * reactive value the method returned, then ends as cancelled
	 */
	public InvocationObserver(ObservationRegistry registry, @Nullable ReactiveReturnValueObserver reactiveObserver,
			List<DeferredReturnValueObserver> deferredObservers, Duration slowRequestThreshold) {
		this(registry, reactiveObserver, deferredObservers, slowRequestThreshold, new CallTimeouts(), true);
	}

	/**
	 * @param registry source of the current observation, the parent of the calls
	 * @param reactiveObserver support for reactive returns, {@code null} without Reactor
	 * @param deferredObservers support for values that complete later (Spring MVC's async
	 * return values)
	 * @param slowRequestThreshold the slow-request threshold: a call started on method entry
	 * waits {@value CallTimeouts#WAIT_FACTOR} times as long for the first subscription of the
	 * reactive value the method returned, then ends as cancelled
	 * @param timeouts runs the ends of those waits; its owner closes it
	 */
	public InvocationObserver(ObservationRegistry registry, @Nullable ReactiveReturnValueObserver reactiveObserver,
			List<DeferredReturnValueObserver> deferredObservers, Duration slowRequestThreshold, CallTimeouts timeouts) {
		this(registry, reactiveObserver, deferredObservers, slowRequestThreshold, timeouts, false);
	}

	private InvocationObserver(ObservationRegistry registry, @Nullable ReactiveReturnValueObserver reactiveObserver,
			List<DeferredReturnValueObserver> deferredObservers, Duration slowRequestThreshold, CallTimeouts timeouts,
			boolean ownsTimeouts) {
		this.registry = registry;
		this.reactiveObserver = reactiveObserver;
		this.deferredObservers = List.copyOf(deferredObservers);
		this.subscriptionWait = CallTimeouts.waitFor(slowRequestThreshold);
		this.timeouts = timeouts;
		this.ownsTimeouts = ownsTimeouts;
	}

	/**
	 * Ends the calls whose reactive value still waits for its first subscription, as cancelled,
	 * when this observer made its own {@link CallTimeouts}; one handed to it is closed by its
	 * owner.
	 */
	@Override
	public void close() {
		if (this.ownsTimeouts) {
			this.timeouts.close();
		}
	}

	/** A method invocation to observe. */
	@FunctionalInterface
	public interface Invocation<T extends @Nullable Object> {

		T proceed() throws Throwable;

	}

	/** Whether the declared return type is a stream of several elements (a {@code Flux}). */
	public boolean isStream(Class<?> returnType) {
		return this.reactiveObserver != null && this.reactiveObserver.isStream(returnType);
	}

	/**
	 * Observes an invocation according to its declared return type and, where that does not
	 * tell, to the value it returns.
	 * @param returnType the declared return type: the value handed back is always of this type
	 */
	public @Nullable Object observe(Class<?> returnType, CallStarter starter, Invocation<?> invocation)
			throws Throwable {
		if (this.reactiveObserver != null && this.reactiveObserver.supports(returnType)) {
			return observeEachSubscription(returnType, starter, invocation);
		}
		if (CompletionStage.class.isAssignableFrom(returnType)) {
			return proceedAndEnd(starter, invocation, true);
		}
		return observeFromEntry(returnType, starter, invocation);
	}

	/**
	 * Observes an invocation that is done when it returns, such as {@code LlmMonitor#call}: the
	 * value returned is the result. Exceptions propagate unchanged.
	 */
	public <T extends @Nullable Object> T observeUntilReturn(CallStarter starter, Invocation<T> invocation) {
		return sneakyProceed(() -> proceedAndEnd(starter, invocation, false));
	}

	/**
	 * Observes an invocation that returns a {@code CompletionStage}, until that stage completes.
	 * Exceptions propagate unchanged.
	 */
	public <T extends @Nullable Object> T observeUntilCompletion(CallStarter starter, Invocation<T> invocation) {
		return sneakyProceed(() -> proceedAndEnd(starter, invocation, true));
	}

	/**
	 * Starts the call, runs the invocation in its scope and ends the call at return or, for a
	 * returned {@code CompletionStage}, at its completion.
	 */
	private <T extends @Nullable Object> T proceedAndEnd(CallStarter starter, Invocation<T> invocation,
			boolean returnsStage) throws Throwable {
		ObservedCall call = startSafely(starter, this.registry.getCurrentObservation());
		if (call == null) {
			return invocation.proceed();
		}
		return proceedInScope(call, invocation, (result) -> {
			if (returnsStage && result != null) {
				endOnCompletion(call, (CompletionStage<?>) result);
				return result;
			}
			if (!returnsStage) {
				call.onElement(result);
			}
			call.end(CallStatus.SUCCESS, null);
			return result;
		});
	}

	private static void endOnCompletion(ObservedCall call, CompletionStage<?> stage) {
		stage.whenComplete((value, error) -> {
			if (error == null) {
				call.onElement(value);
				call.end(CallStatus.SUCCESS, null);
				return;
			}
			Throwable cause = unwrap(error);
			call.end((cause instanceof CancellationException) ? CallStatus.CANCELLED : CallStatus.ERROR, cause);
		});
	}

	/**
	 * A method whose declared type does not say when its work is done: the call starts on entry
	 * and ends as the returned value says.
	 */
	private @Nullable Object observeFromEntry(Class<?> returnType, CallStarter starter, Invocation<?> invocation)
			throws Throwable {
		Observation parent = this.registry.getCurrentObservation();
		ObservedCall call = startSafely(starter, parent);
		if (call == null) {
			return invocation.proceed();
		}
		return proceedInScope(call, invocation, (result) -> endWhenDone(returnType, call, starter, parent, result));
	}

	private @Nullable Object endWhenDone(Class<?> returnType, ObservedCall call, CallStarter starter,
			@Nullable Observation parent, @Nullable Object result) {
		if (result == null) {
			call.end(CallStatus.SUCCESS, null);
			return null;
		}
		if (result instanceof CompletionStage<?> stage) {
			endOnCompletion(call, stage);
			return result;
		}
		Object observed = handOverToLaterValue(returnType, call, starter, parent, result);
		if (observed != null) {
			return observed;
		}
		call.onElement(result);
		call.end(CallStatus.SUCCESS, null);
		return result;
	}

	/**
	 * A started call carried on by a value that completes later: a reactive value or one that a
	 * {@link DeferredReturnValueObserver} knows.
	 * @return the value to hand back, of the declared type, or {@code null} when the value is
	 * done now: the caller ends the call
	 */
	private @Nullable Object handOverToLaterValue(Class<?> returnType, ObservedCall call, CallStarter starter,
			@Nullable Observation parent, Object result) {
		try {
			if (this.reactiveObserver != null && this.reactiveObserver.isReactive(result)) {
				Object observed = handOverToReactive(call, starter, parent, result);
				return returnType.isInstance(observed) ? observed : null;
			}
			for (DeferredReturnValueObserver deferred : this.deferredObservers) {
				Object observed = deferred.observe(result, call,
						(value) -> handOverToReactive(call, starter, parent, value));
				if (observed != null) {
					return returnType.isInstance(observed) ? observed : result;
				}
			}
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("instrumenting the value returned by a monitored method", ex);
		}
		return null;
	}

	/**
	 * Hands a started call over to a reactive value: its first subscription carries the call on,
	 * later ones start their own.
	 * @param call the started call
	 * @param starter starts the calls of later subscriptions
	 * @param parent the observation current when the call started
	 * @param value a value that may be reactive
	 * @return the observed value, of the same reactive type, or {@code null} when the value is not
	 * reactive
	 */
	private @Nullable Object handOverToReactive(ObservedCall call, CallStarter starter, @Nullable Observation parent,
			Object value) {
		if (this.reactiveObserver == null || !this.reactiveObserver.isReactive(value)) {
			return null;
		}
		Unsubscribed unsubscribed = new Unsubscribed(call);
		Object observed = this.reactiveObserver.observe(value, new ContinuingStarter(unsubscribed, starter),
				parent);
		if (observed != value) {
			// a value never subscribed would leave its call open for good: it ends as cancelled
			// when collected, or held, when the wait for its first subscription runs out
			Unsubscribed.CLEANER.register(observed, unsubscribed);
			unsubscribed.timeout = this.timeouts.schedule(unsubscribed, this.subscriptionWait);
		}
		return observed;
	}

	/**
	 * Ends, as cancelled, a call started on method entry whose reactive value was collected, or
	 * waited for too long, without ever being subscribed to; a later subscription starts a call of
	 * its own.
	 */
	private static final class Unsubscribed implements Runnable {

		static final Cleaner CLEANER = Cleaner.create();

		private static final AtomicReferenceFieldUpdater<Unsubscribed, @Nullable ObservedCall> STARTED =
				AtomicReferenceFieldUpdater.newUpdater(Unsubscribed.class, ObservedCall.class, "started");

		/** The call started on entry until taken, by {@link #STARTED}. */
		volatile @Nullable ObservedCall started;

		/** The bound on the wait, cancelled by the first subscription. */
		volatile CallTimeouts.@Nullable Wait timeout;

		Unsubscribed(ObservedCall started) {
			this.started = started;
		}

		/** The call for the first subscription, once; the wait for it ends. */
		@Nullable ObservedCall take() {
			ObservedCall call = STARTED.getAndSet(this, null);
			if (call != null) {
				CallTimeouts.cancel(this.timeout);
			}
			return call;
		}

		@Override
		public void run() {
			ObservedCall call = STARTED.getAndSet(this, null);
			if (call != null) {
				call.end(CallStatus.CANCELLED, null);
			}
		}

	}

	/**
	 * Runs the invocation with the call's observation current, so that calls made inside become
	 * its children, and hands what it returned to {@code returned} before the scope closes: a
	 * call that ends there ends in the scope it is in, without opening another (see
	 * {@code AbstractObservedCall#end}). Ends the call as failed when the invocation throws.
	 */
	private <T extends @Nullable Object, R extends @Nullable Object> R proceedInScope(ObservedCall call,
			Invocation<T> invocation, Function<T, R> returned) throws Throwable {
		Observation.Scope scope = ObservationScopes.open(this.registry, call.observation());
		try {
			T result;
			try {
				result = invocation.proceed();
			}
			catch (Throwable ex) {
				call.end(CallStatus.ERROR, ex);
				throw ex;
			}
			return returned.apply(result);
		}
		finally {
			ObservationScopes.close(scope);
		}
	}

	private @Nullable Object observeEachSubscription(Class<?> returnType, CallStarter starter, Invocation<?> invocation)
			throws Throwable {
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
			Object observed = Objects.requireNonNull(this.reactiveObserver, "checked by observe")
				.observe(publisher, starter, assemblyParent);
			if (returnType.isInstance(observed)) {
				return observed;
			}
			throw new IllegalStateException("A value of " + observed.getClass().getName()
					+ " cannot stand for the declared return type " + returnType.getName());
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("instrumenting a reactive return value of type " + returnType.getName(), ex);
			return publisher;
		}
	}

	/**
	 * Gives the call started on entry to the first subscription, and a new call to each later one;
	 * the kind (stream or single result) known at subscription is passed on.
	 */
	private static final class ContinuingStarter implements CallStarter {

		private final Unsubscribed started;

		private final CallStarter next;

		ContinuingStarter(Unsubscribed started, CallStarter next) {
			this.started = started;
			this.next = next;
		}

		@Override
		public @Nullable ObservedCall start(@Nullable Observation parent) {
			ObservedCall call = this.started.take();
			return (call != null) ? call : this.next.start(parent);
		}

		@Override
		public boolean needsParentScope(Observation parent) {
			return this.next.needsParentScope(parent);
		}

		@Override
		public CallStarter withStream(boolean stream) {
			ObservedCall call = this.started.started;
			if (call != null) {
				call.markStream(stream);
			}
			return new ContinuingStarter(this.started, this.next.withStream(stream));
		}

	}

	/**
	 * Starts a call whose parent need not be the observation current on this thread, as when a
	 * {@code Flux} is subscribed: the parent is put in scope while the call starts where the
	 * starter says it is needed. Tracing takes the thread's current span over the parent
	 * observation's when they differ, and Spring MVC subscribes on the request thread, inside the
	 * HTTP server span: without the scope an LLM span would hang off the request instead of its
	 * endpoint. A reactive server's event loop has no current span: no scope is needed there.
	 * @return the call, or {@code null} (and a report) when monitoring fails
	 */
	public static @Nullable ObservedCall startSafelyUnder(CallStarter starter, @Nullable Observation parent) {
		if (parent == null || !needsParentScope(starter, parent)) {
			return startSafely(starter, parent);
		}
		Observation.Scope scope = ObservationScopes.open(parent);
		try {
			return startSafely(starter, parent);
		}
		finally {
			ObservationScopes.close(scope);
		}
	}

	private static boolean needsParentScope(CallStarter starter, Observation parent) {
		try {
			return starter.needsParentScope(parent);
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("reading the current span", ex);
			return true;
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
	private static <T extends @Nullable Object, E extends Throwable> T sneakyProceed(Invocation<T> invocation)
			throws E {
		try {
			return invocation.proceed();
		}
		catch (Throwable ex) {
			throw (E) ex;
		}
	}

}
