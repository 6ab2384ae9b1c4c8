package io.llmmonitor.autoconfigure;

import java.util.List;

import io.llmmonitor.observation.FailureIsolatingObservationHandler;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.micrometer.observation.autoconfigure.ObservationHandlerGroup;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot's group of the observation handlers that no other group takes (the application's
 * own, llm-monitor's metrics and call log handlers). Sorted after every other group, it registers
 * its members where Boot registers ungrouped handlers, in their order, each wrapped in a
 * {@link FailureIsolatingObservationHandler}: a member failing on an LLM call no longer keeps
 * Boot's meter and tracing handlers from hearing of the call's stop.
 */
final class IsolatedObservationHandlerGroup implements ObservationHandlerGroup {

	private static final String TRACING_HANDLER = "io.micrometer.tracing.handler.TracingObservationHandler";

	private final Class<?> tracingHandler;

	IsolatedObservationHandlerGroup(@Nullable ClassLoader classLoader) {
		this.tracingHandler = ClassUtils.isPresent(TRACING_HANDLER, classLoader)
				? ClassUtils.resolveClassName(TRACING_HANDLER, classLoader) : Void.class;
	}

	@Override
	public Class<?> handlerType() {
		return ObservationHandler.class;
	}

	/** Every handler but those Boot groups itself (meters, tracing), wherever the groups sort. */
	@Override
	public boolean isMember(ObservationHandler<?> handler) {
		return !(handler instanceof MeterObservationHandler) && !this.tracingHandler.isInstance(handler);
	}

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public void registerMembers(ObservationRegistry.ObservationConfig config, List<ObservationHandler<?>> members) {
		for (ObservationHandler member : members) {
			config.observationHandler(new FailureIsolatingObservationHandler<>(member));
		}
	}

	/** After every other group, so that its members keep the place of ungrouped handlers. */
	@Override
	public int compareTo(ObservationHandlerGroup other) {
		return (other instanceof IsolatedObservationHandlerGroup) ? 0 : 1;
	}

}
