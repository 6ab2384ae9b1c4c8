package io.llmmonitor.reactive;

import java.util.Objects;
import java.util.function.Function;

import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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

	/**
	 * The operator, for {@code Flux#transform} or {@code Mono#transform}.
	 * @param starter starts the call of each subscription
	 * @param assemblyParent parent used when the subscriber's context holds no observation
	 * @param single whether the source is a {@code Mono}: its first element ends the call
	 */
	static <T> Function<Publisher<T>, Publisher<T>> operator(CallStarter starter, @Nullable Observation assemblyParent,
			boolean single) {
		Function<? super Publisher<T>, ? extends Publisher<T>> lift = Operators.<T, T>lift((scannable, subscriber) -> {
			Observation parent = subscriber.currentContext()
				.getOrDefault(ObservationThreadLocalAccessor.KEY, assemblyParent);
			return new ObservedSubscriber<>(subscriber, InvocationObserver.startSafelyUnder(starter, parent), single);
		});
		// a fusable source would make the lifted publisher fusable, and the operator after it would
		// take this subscriber, which is no queue, for a fused one: hide the source's fusability
		return (source) -> lift.apply(hideFusion(source));
	}

	private static <T> Publisher<T> hideFusion(Publisher<T> source) {
		if (!(source instanceof Fuseable)) {
			return source;
		}
		return (source instanceof Mono<T> mono) ? mono.hide() : Flux.from(source).hide();
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
