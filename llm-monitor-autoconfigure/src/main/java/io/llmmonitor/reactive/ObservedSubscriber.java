package io.llmmonitor.reactive;

import java.util.Objects;

import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The one operator behind monitored {@code Flux} and {@code Mono} values. Each subscription is
 * one call: it starts when subscribed, sees every element, and ends exactly once on complete,
 * error or cancel. The call's observation, unless disabled, is put into the Reactor context, so
 * that work upstream (an instrumented HTTP client) becomes its child.
 *
 * @param <T> element type
 */
final class ObservedSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {

	private final CoreSubscriber<? super T> actual;

	private final ObservedCall call;

	private final Context context;

	private final boolean single;

	private @Nullable Subscription upstream;

	private ObservedSubscriber(CoreSubscriber<? super T> actual, @Nullable ObservedCall call, boolean single) {
		this.actual = actual;
		this.call = (call != null) ? call : NoopCall.INSTANCE;
		// a disabled observation (a predicate, management.observations.enable.*) is no parent: the
		// one already in the context stays, so that the provider's spans remain in the request's trace
		this.context = (call != null && !call.observation().isNoop())
				? actual.currentContext().put(ObservationThreadLocalAccessor.KEY, call.observation())
				: actual.currentContext();
		this.single = single;
	}

	/** The monitored {@code Mono}: each subscription starts its call. */
	static <T> Mono<T> observe(Mono<T> mono, CallStarter starter, @Nullable Observation assemblyParent) {
		return mono.transform((source) -> new ObservedMono<>(source, new Calls(starter, assemblyParent)));
	}

	/** The monitored {@code Flux}: each subscription starts its call. */
	static <T> Flux<T> observe(Flux<T> flux, CallStarter starter, @Nullable Observation assemblyParent) {
		return flux.transform((source) -> new ObservedFlux<>(source, new Calls(starter, assemblyParent)));
	}

	/**
	 * The calls of a monitored value's subscriptions.
	 * @param starter starts the call of each subscription
	 * @param assemblyParent parent used when the subscriber's context holds no observation
	 */
	private record Calls(CallStarter starter, @Nullable Observation assemblyParent) {

		/**
		 * Starts the call of a subscription, under the observation of the subscriber's context,
		 * else the one current when the value was assembled, and subscribes the source. A source
		 * that throws instead of signalling an error ends the call as failed: Reactor reports
		 * such a throw to the subscriber of the operator it called, which is the one after ours,
		 * and the call would stay open.
		 * @param single whether the source is a {@code Mono}: its first element ends the call
		 */
		<T> void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual, boolean single) {
			Observation parent = actual.currentContext().getOrDefault(ObservationThreadLocalAccessor.KEY,
					this.assemblyParent);
			ObservedSubscriber<T> observed = new ObservedSubscriber<>(actual,
					InvocationObserver.startSafelyUnder(this.starter, parent), single);
			try {
				source.subscribe(observed);
			}
			catch (Throwable ex) {
				Exceptions.throwIfJvmFatal(ex);
				Operators.reportThrowInSubscribe(observed, ex);
			}
		}

	}

	/**
	 * The operator on a {@code Mono}. Not {@link Fuseable}, whatever its source: the operator
	 * after it never takes this subscriber, which is no queue, for a fused one. (Reactor's
	 * {@code Operators.lift} would also name each assembly with the lifter's {@code toString()}.)
	 */
	private static final class ObservedMono<T> extends MonoOperator<T, T> {

		private final Calls calls;

		ObservedMono(Mono<? extends T> source, Calls calls) {
			super(source);
			this.calls = calls;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.calls.subscribe(this.source, actual, true);
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			return (key == Attr.RUN_STYLE) ? Attr.RunStyle.SYNC : super.scanUnsafe(key);
		}

	}

	/** The operator on a {@code Flux}; not {@link Fuseable} either (see {@link ObservedMono}). */
	private static final class ObservedFlux<T> extends FluxOperator<T, T> {

		private final Calls calls;

		ObservedFlux(Flux<? extends T> source, Calls calls) {
			super(source);
			this.calls = calls;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			this.calls.subscribe(this.source, actual, false);
		}

		@Override
		public @Nullable Object scanUnsafe(Attr key) {
			return (key == Attr.RUN_STYLE) ? Attr.RunStyle.SYNC : super.scanUnsafe(key);
		}

	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}
	}

	@Override
	public void onNext(T element) {
		this.call.onElement(element);
		if (this.single) {
			this.call.end(CallStatus.SUCCESS, null);
		}
		this.actual.onNext(element);
	}

	@Override
	public void onError(Throwable error) {
		this.call.end(CallStatus.ERROR, error);
		this.actual.onError(error);
	}

	@Override
	public void onComplete() {
		this.call.end(CallStatus.SUCCESS, null);
		this.actual.onComplete();
	}

	@Override
	public void request(long n) {
		Objects.requireNonNull(this.upstream, "onSubscribe comes first").request(n);
	}

	@Override
	public void cancel() {
		this.call.end(CallStatus.CANCELLED, null);
		Objects.requireNonNull(this.upstream, "onSubscribe comes first").cancel();
	}

	@Override
	public @Nullable Object scanUnsafe(Attr key) {
		if (key == Attr.PARENT) {
			return this.upstream;
		}
		if (key == Attr.ACTUAL) {
			return this.actual;
		}
		if (key == Attr.RUN_STYLE) {
			return Attr.RunStyle.SYNC;
		}
		return null;
	}

	/** Stands in when the call could not be started: the stream runs unmonitored. */
	private enum NoopCall implements ObservedCall {

		INSTANCE;

		@Override
		public Observation observation() {
			return Observation.NOOP;
		}

		@Override
		public void onElement(@Nullable Object element) {
		}

		@Override
		public void end(CallStatus status, @Nullable Throwable error) {
		}

	}

}
