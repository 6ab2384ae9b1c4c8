package io.llmmonitor.web;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.llmmonitor.call.internal.DeferredReturnValueObserver;
import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.EndpointContext;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.context.request.async.WebAsyncUtils;

/**
 * Return values of web handlers whose response completes after the method returned:
 * <ul>
 * <li>a {@link ResponseEntity} whose body is reactive (a {@code Flux}): the body is observed,
 * in Spring MVC and in WebFlux;</li>
 * <li>Spring MVC's asynchronous returns ({@code DeferredResult}, {@code Callable},
 * {@code WebAsyncTask}, {@code ResponseBodyEmitter} and {@code SseEmitter},
 * {@code StreamingResponseBody}, also as the body of a {@code ResponseEntity}): the call ends
 * when the asynchronous request completes, with the error it completed with (a timeout, a failed
 * task, an emitter completed with an error, a client that went away), once; when no asynchronous
 * processing started by the end of the request (the value never reached Spring MVC), as
 * cancelled. A {@code Callable}
 * (and a {@code StreamingResponseBody}, which Spring MVC runs as one) runs with the call's
 * observation current, so that LLM calls made in it are its children.</li>
 * </ul>
 * Spring MVC's are recognised as the return of a {@code @MonitoredEndpoint}, while a Spring MVC
 * request is being handled on this thread; Spring MVC itself need not be on the class path.
 */
public final class WebDeferredReturnValueObserver implements DeferredReturnValueObserver {

	private static final @Nullable Class<?> RESPONSE_BODY_EMITTER = load(
			"org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter");

	private static final @Nullable Class<?> STREAMING_RESPONSE_BODY = load(
			"org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody");

	/** Numbers the destruction callbacks, so that no two of a request share a name. */
	private static final AtomicLong CALLBACKS = new AtomicLong();

	@Override
	public @Nullable Object observe(Object value, ObservedCall call, Function<Object, @Nullable Object> reactive) {
		if (value instanceof ResponseEntity<?> entity) {
			Object body = entity.getBody();
			if (body == null) {
				return null;
			}
			Object observedBody = reactive.apply(body);
			if (observedBody != null) {
				return new ResponseEntity<>(observedBody, entity.getHeaders(), entity.getStatusCode());
			}
			return (isAsync(body, call) && endWithAsyncRequest(call)) ? value : null;
		}
		return (isAsync(value, call) && endWithAsyncRequest(call)) ? value : null;
	}

	/**
	 * Whether the value is a Spring MVC asynchronous return of a {@code @MonitoredEndpoint}: an LLM
	 * call returning one ends at return, as its response need not be the request's.
	 */
	private static boolean isAsync(Object value, ObservedCall call) {
		return call.observation().getContext() instanceof EndpointContext && isAsync(value);
	}

	private static boolean isAsync(Object value) {
		return value instanceof DeferredResult<?> || value instanceof Callable<?> || value instanceof WebAsyncTask<?>
				|| (RESPONSE_BODY_EMITTER != null && RESPONSE_BODY_EMITTER.isInstance(value))
				|| (STREAMING_RESPONSE_BODY != null && STREAMING_RESPONSE_BODY.isInstance(value));
	}

	/**
	 * Ends the call with the asynchronous processing of the Spring MVC request handled on this
	 * thread.
	 * @return whether there is such a request
	 */
	private static boolean endWithAsyncRequest(ObservedCall call) {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes == null) {
			return false;
		}
		Object manager = attributes.getAttribute(WebAsyncUtils.WEB_ASYNC_MANAGER_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST);
		if (!(manager instanceof WebAsyncManager asyncManager)) {
			return false;
		}
		AsyncRequestEnd end = new AsyncRequestEnd(call);
		asyncManager.registerCallableInterceptor(end, end);
		asyncManager.registerDeferredResultInterceptor(end, end);
		// a value that never reaches Spring MVC (dropped by its caller, or the handler failed after
		// it returned) starts no asynchronous processing: the call then ends with the request
		// named by a sequence number: an identity hash code may be shared, and the later callback
		// of a name replaces the earlier one
		attributes.registerDestructionCallback(AsyncRequestEnd.class.getName() + "#" + CALLBACKS.incrementAndGet(),
				() -> {
					if (!asyncManager.isConcurrentHandlingStarted()) {
						call.end(CallStatus.CANCELLED, null);
					}
				}, RequestAttributes.SCOPE_REQUEST);
		return true;
	}

	private static @Nullable Class<?> load(String name) {
		ClassLoader classLoader = WebDeferredReturnValueObserver.class.getClassLoader();
		try {
			return ClassUtils.isPresent(name, classLoader) ? ClassUtils.forName(name, classLoader) : null;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	/**
	 * Ends a call when the asynchronous request completes: with the error the request completed
	 * with (a failed {@code Callable}, an emitter completed with an error, a timeout), else as a
	 * success.
	 */
	static final class AsyncRequestEnd implements CallableProcessingInterceptor, DeferredResultProcessingInterceptor {

		private final ObservedCall call;

		private volatile @Nullable Throwable error;

		/** The scope opened on the thread that runs a {@code Callable}, closed on the same thread. */
		private final ThreadLocal<Observation.@Nullable Scope> scope = new ThreadLocal<>();

		AsyncRequestEnd(ObservedCall call) {
			this.call = call;
		}

		@Override
		public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
			try {
				this.scope.set(this.call.observation().openScope());
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("opening the scope of an asynchronous request", ex);
			}
		}

		@Override
		public <T> void postProcess(NativeWebRequest request, Callable<T> task, @Nullable Object concurrentResult) {
			Observation.Scope opened = this.scope.get();
			if (opened != null) {
				this.scope.remove();
				try {
					opened.close();
				}
				catch (RuntimeException ex) {
					MonitoringFailures.report("closing the scope of an asynchronous request", ex);
				}
			}
			failedWith(concurrentResult);
		}

		@Override
		public <T> Object handleTimeout(NativeWebRequest request, Callable<T> task) {
			timedOut();
			return CallableProcessingInterceptor.RESULT_NONE;
		}

		@Override
		public <T> Object handleError(NativeWebRequest request, Callable<T> task, Throwable t) {
			this.error = t;
			return CallableProcessingInterceptor.RESULT_NONE;
		}

		@Override
		public <T> void afterCompletion(NativeWebRequest request, Callable<T> task) {
			end();
		}

		@Override
		public <T> void postProcess(NativeWebRequest request, DeferredResult<T> deferredResult,
				@Nullable Object concurrentResult) {
			failedWith(concurrentResult);
		}

		@Override
		public <T> boolean handleTimeout(NativeWebRequest request, DeferredResult<T> deferredResult) {
			timedOut();
			return true;
		}

		@Override
		public <T> boolean handleError(NativeWebRequest request, DeferredResult<T> deferredResult, Throwable t) {
			this.error = t;
			return true;
		}

		@Override
		public <T> void afterCompletion(NativeWebRequest request, DeferredResult<T> deferredResult) {
			end();
		}

		private void failedWith(@Nullable Object concurrentResult) {
			if (concurrentResult instanceof Throwable failure) {
				this.error = failure;
			}
		}

		private void timedOut() {
			if (this.error == null) {
				this.error = new AsyncRequestTimeoutException();
			}
		}

		private void end() {
			Throwable failure = this.error;
			this.call.end((failure != null) ? CallStatus.ERROR : CallStatus.SUCCESS, failure);
		}

	}

}
