package io.llmmonitor.reactive;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.ReactiveReturnValueObserver;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * {@link ReactiveReturnValueObserver} for Reactor: a {@code Flux} is a stream, a {@code Mono} a single
 * result. Any other type that Spring's {@link ReactiveAdapterRegistry} knows (Kotlin's
 * {@code Flow} with kotlinx-coroutines-reactor, RxJava, a plain {@code Publisher}) is adapted
 * to a {@code Flux} or a {@code Mono}, observed, and adapted back to its own type; a multi-value
 * type is a stream. {@code CompletionStage} is not reactive here: it is observed as a future.
 */
public final class ReactorReturnValueObserver implements ReactiveReturnValueObserver {

	private final ReactiveAdapterRegistry adapters;

	private final ClassValue<Optional<ReactiveAdapter>> adapterByType = new ClassValue<>() {
		@Override
		protected Optional<ReactiveAdapter> computeValue(Class<?> type) {
			return Optional.ofNullable(lookup(type));
		}
	};

	public ReactorReturnValueObserver() {
		this(ReactiveAdapterRegistry.getSharedInstance());
	}

	public ReactorReturnValueObserver(ReactiveAdapterRegistry adapters) {
		this.adapters = adapters;
	}

	@Override
	public boolean supports(Class<?> returnType) {
		return adapterFor(returnType) != null;
	}

	@Override
	public boolean isStream(Class<?> returnType) {
		return Flux.class.isAssignableFrom(returnType);
	}

	@Override
	public boolean isReactive(Object value) {
		return value instanceof Publisher<?> || adapterFor(value.getClass()) != null;
	}

	@Override
	public Object observe(Object publisher, CallStarter starter, @Nullable Observation assemblyParent) {
		if (publisher instanceof Mono<?> mono) {
			return observeMono(mono, starter.withStream(false), assemblyParent);
		}
		if (publisher instanceof Flux<?> flux) {
			return observeFlux(flux, starter.withStream(true), assemblyParent);
		}
		ReactiveAdapter adapter = adapterFor(publisher.getClass());
		if (adapter == null) {
			return publisher;
		}
		Publisher<?> source = adapter.toPublisher(publisher);
		Publisher<?> observed;
		if (source instanceof Mono<?> mono) {
			observed = observeMono(mono, starter.withStream(false), assemblyParent);
		}
		else if (source instanceof Flux<?> flux) {
			observed = observeFlux(flux, starter.withStream(true), assemblyParent);
		}
		else if (adapter.isMultiValue()) {
			observed = observeFlux(Flux.from(source), starter.withStream(true), assemblyParent);
		}
		else {
			observed = observeMono(Mono.from(source), starter.withStream(false), assemblyParent);
		}
		return adapter.fromPublisher(observed);
	}

	private @Nullable ReactiveAdapter adapterFor(Class<?> type) {
		return this.adapterByType.get(type).orElse(null);
	}

	private @Nullable ReactiveAdapter lookup(Class<?> type) {
		if (CompletionStage.class.isAssignableFrom(type) || Optional.class == type) {
			return null;
		}
		ReactiveAdapter adapter = this.adapters.getAdapter(type);
		if (adapter == null || CompletionStage.class.isAssignableFrom(adapter.getReactiveType())) {
			return null;
		}
		return adapter;
	}

	static <T> Flux<T> observeFlux(Flux<T> flux, CallStarter starter, @Nullable Observation assemblyParent) {
		return ObservedSubscriber.observe(flux, starter, assemblyParent);
	}

	static <T> Mono<T> observeMono(Mono<T> mono, CallStarter starter, @Nullable Observation assemblyParent) {
		return ObservedSubscriber.observe(mono, starter, assemblyParent);
	}

}
