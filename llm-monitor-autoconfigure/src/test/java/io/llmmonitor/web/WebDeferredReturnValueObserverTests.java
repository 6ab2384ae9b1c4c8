package io.llmmonitor.web;

import java.lang.reflect.Constructor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.EndpointContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every asynchronous value of a request that never reaches Spring MVC ends its call at the end of
 * the request, however many a request has: their destruction callbacks never overwrite each other.
 */
class WebDeferredReturnValueObserverTests {

	private final Observation endpoint;

	private final Request request;

	private final AtomicInteger cancelled = new AtomicInteger();

	WebDeferredReturnValueObserverTests() throws ReflectiveOperationException {
		this.request = new Request();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((ObservationHandler<Observation.Context>) (context) -> true);
		this.endpoint = Observation.createNotStarted("endpoint", () -> new EndpointContext("chat"), registry);
		RequestContextHolder.setRequestAttributes(this.request);
	}

	@AfterEach
	void resetRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void twoValuesDroppedInOneRequestBothEndTheirCall() {
		observeDroppedValues(2);

		this.request.complete();

		assertThat(this.cancelled).hasValue(2);
	}

	/**
	 * So many that two of them would share an identity hash code (a 31-bit number: a collision is
	 * all but certain past a few hundred thousand), which once named their callbacks.
	 */
	@Test
	void valuesWhoseEndsShareAnIdentityHashCodeAllEndTheirCall() {
		observeDroppedValues(300_000);

		this.request.complete();

		assertThat(this.cancelled).hasValue(300_000);
	}

	private void observeDroppedValues(int count) {
		WebDeferredReturnValueObserver values = new WebDeferredReturnValueObserver();
		for (int i = 0; i < count; i++) {
			DeferredResult<String> value = new DeferredResult<>();
			assertThat(values.observe(value, new Call(), (body) -> null)).isSameAs(value);
		}
	}

	private final class Call implements ObservedCall {

		private boolean ended;

		@Override
		public Observation observation() {
			return WebDeferredReturnValueObserverTests.this.endpoint;
		}

		@Override
		public void onElement(@Nullable Object element) {
		}

		@Override
		public void end(CallStatus status, @Nullable Throwable error) {
			if (!this.ended && status == CallStatus.CANCELLED) {
				this.ended = true;
				WebDeferredReturnValueObserverTests.this.cancelled.incrementAndGet();
			}
		}

	}

	/**
	 * The request scope of a Spring MVC request: attributes and destruction callbacks by name, as
	 * Spring's own keep them; a later callback of the same name replaces the earlier one.
	 */
	private static final class Request implements RequestAttributes {

		private final Map<String, Object> attributes = new LinkedHashMap<>();

		private final Map<String, Runnable> callbacks = new LinkedHashMap<>();

		Request() throws ReflectiveOperationException {
			// made as WebAsyncUtils makes it for a request, without the Servlet API
			Constructor<WebAsyncManager> manager = WebAsyncManager.class.getDeclaredConstructor();
			manager.setAccessible(true);
			this.attributes.put(WebAsyncUtils.WEB_ASYNC_MANAGER_ATTRIBUTE, manager.newInstance());
		}

		void complete() {
			this.callbacks.values().forEach(Runnable::run);
		}

		@Override
		public @Nullable Object getAttribute(String name, int scope) {
			return this.attributes.get(name);
		}

		@Override
		public void setAttribute(String name, Object value, int scope) {
			this.attributes.put(name, value);
		}

		@Override
		public void removeAttribute(String name, int scope) {
			this.attributes.remove(name);
		}

		@Override
		public String[] getAttributeNames(int scope) {
			return this.attributes.keySet().toArray(String[]::new);
		}

		@Override
		public void registerDestructionCallback(String name, Runnable callback, int scope) {
			this.callbacks.put(name, callback);
		}

		@Override
		public @Nullable Object resolveReference(String key) {
			return null;
		}

		@Override
		public String getSessionId() {
			return "session";
		}

		@Override
		public Object getSessionMutex() {
			return this;
		}

	}

}
