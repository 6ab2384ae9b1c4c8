package io.llmmonitor.benchmarks;

import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A floor for the streaming benchmark: an operator that forwards every signal unchanged, and
 * optionally reads the monotonic clock once per element. Whatever monitors a stream per token
 * costs at least this much.
 *
 * @param <T> element type
 */
final class ForwardingOperator<T> implements CoreSubscriber<T>, Subscription {

	private final CoreSubscriber<? super T> actual;

	private final boolean readClock;

	private Subscription upstream;

	/** The last clock reading, kept so that the JIT cannot drop the read. */
	long lastNanos;

	private ForwardingOperator(CoreSubscriber<? super T> actual, boolean readClock) {
		this.actual = actual;
		this.readClock = readClock;
	}

	static <T> Function<Flux<T>, Publisher<T>> passThrough() {
		return lift(false);
	}

	static <T> Function<Flux<T>, Publisher<T>> clockPerElement() {
		return lift(true);
	}

	private static <T> Function<Flux<T>, Publisher<T>> lift(boolean readClock) {
		Function<? super Publisher<T>, ? extends Publisher<T>> lift = Operators
			.<T, T>lift((scannable, subscriber) -> new ForwardingOperator<>(subscriber, readClock));
		return lift::apply;
	}

	@Override
	public Context currentContext() {
		return this.actual.currentContext();
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.upstream = subscription;
		this.actual.onSubscribe(this);
	}

	@Override
	public void onNext(T element) {
		if (this.readClock) {
			this.lastNanos = System.nanoTime();
		}
		this.actual.onNext(element);
	}

	@Override
	public void onError(Throwable error) {
		this.actual.onError(error);
	}

	@Override
	public void onComplete() {
		this.actual.onComplete();
	}

	@Override
	public void request(long n) {
		this.upstream.request(n);
	}

	@Override
	public void cancel() {
		this.upstream.cancel();
	}

}
