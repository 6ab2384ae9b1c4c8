package io.llmmonitor.reactive;

import io.llmmonitor.call.CallStarter;
import io.llmmonitor.call.ReactiveReturnValues;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link ReactiveReturnValues} for Reactor: a {@code Flux} is a stream, a {@code Mono} a single result.
 */
public final class ReactorReturnValues implements ReactiveReturnValues {

	@Override
	public boolean supports(Class<?> returnType) {
		return Flux.class.isAssignableFrom(returnType) || Mono.class.isAssignableFrom(returnType);
	}

	@Override
	public boolean isStream(Class<?> returnType) {
		return Flux.class.isAssignableFrom(returnType);
	}

	@Override
	public Object observe(Object publisher, CallStarter starter, @Nullable Observation assemblyParent) {
		if (publisher instanceof Mono<?> mono) {
			return observeMono(mono, starter, assemblyParent);
		}
		if (publisher instanceof Flux<?> flux) {
			return observeFlux(flux, starter, assemblyParent);
		}
		return publisher;
	}

	static <T> Flux<T> observeFlux(Flux<T> flux, CallStarter starter, @Nullable Observation assemblyParent) {
		return flux.transform(ObservedSubscriber.<T>operator(starter, assemblyParent, false));
	}

	static <T> Mono<T> observeMono(Mono<T> mono, CallStarter starter, @Nullable Observation assemblyParent) {
		return mono.transform(ObservedSubscriber.<T>operator(starter, assemblyParent, true));
	}

}
