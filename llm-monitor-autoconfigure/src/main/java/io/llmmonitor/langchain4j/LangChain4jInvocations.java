package io.llmmonitor.langchain4j;

import java.lang.reflect.Method;

import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The one place where a LangChain4j model call becomes a monitored LLM call: the monitor is
 * resolved at the call, a failure to set the call up is reported and leaves the call running
 * unmonitored, and a model call made inside another LLM call (a {@code @MonitoredLlmCall} method,
 * a model bean that delegates to another model bean) is that call, counted once.
 */
final class LangChain4jInvocations {

	private final ObjectProvider<LlmMonitor> llmMonitor;

	private final ObjectProvider<InvocationObserver> invocationObserver;

	LangChain4jInvocations(ObjectProvider<LlmMonitor> llmMonitor,
			ObjectProvider<InvocationObserver> invocationObserver) {
		this.llmMonitor = llmMonitor;
		this.invocationObserver = invocationObserver;
	}

	/**
	 * A blocking call: monitored until it returns, its {@code ChatResponse} read for usage.
	 * @param method the model's method, named in the report of a failure
	 */
	@Nullable Object observe(LlmCallSpec spec, Class<?> returnType, InvocationObserver.Invocation<?> invocation,
			Method method) throws Throwable {
		InvocationObserver observer;
		CallStarter starter;
		try {
			observer = this.invocationObserver.getObject();
			starter = starter(this.llmMonitor.getObject(), spec);
		}
		catch (RuntimeException ex) {
			reportSetUpFailure(method, ex);
			return invocation.proceed();
		}
		return observer.observe(returnType, starter, invocation);
	}

	/**
	 * A stream: monitored from the call until its handler gets the complete response, an error or
	 * a cancel.
	 * @param handlerConsumer runs the call with the handler it is given
	 * @param method the model's method, named in the report of a failure
	 */
	@Nullable Object observeStream(LlmCallSpec spec, StreamingChatResponseHandler handler,
			StreamInvocation handlerConsumer, Method method) throws Throwable {
		ObservedCall call;
		@Nullable StreamingChatResponseHandler monitored;
		try {
			LlmMonitor monitor = this.llmMonitor.getObject();
			call = InvocationObserver.startSafely(starter(monitor, spec),
					monitor.registry().getCurrentObservation());
			monitored = (call != null) ? new MonitoredStreamingHandler(handler, call) : null;
		}
		catch (RuntimeException | LinkageError ex) {
			reportSetUpFailure(method, ex);
			return handlerConsumer.proceed(handler);
		}
		if (call == null || monitored == null) {
			return handlerConsumer.proceed(handler);
		}
		Observation.Scope scope = openScope(call.observation());
		try {
			return handlerConsumer.proceed(monitored);
		}
		catch (Throwable ex) {
			call.end(CallStatus.ERROR, ex);
			throw ex;
		}
		finally {
			if (scope != null) {
				scope.close();
			}
		}
	}

	/** The failure message is built only here, not on every call. */
	private static void reportSetUpFailure(Method method, Throwable failure) {
		MonitoringFailures.report("monitoring the LangChain4j chat model method " + method, failure);
	}

	/** Runs a streaming call with the given handler. */
	@FunctionalInterface
	interface StreamInvocation {

		@Nullable Object proceed(StreamingChatResponseHandler handler) throws Throwable;

	}

	/**
	 * Starts the call, or joins the LLM call already in progress (a {@code @MonitoredLlmCall}
	 * method, a programmatic call, a model bean that delegates to this one): one call is counted
	 * once.
	 */
	private static CallStarter starter(LlmMonitor monitor, LlmCallSpec spec) {
		return monitor.automaticStarter(spec);
	}

	private static Observation.@Nullable Scope openScope(Observation observation) {
		try {
			return observation.openScope();
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("opening an observation scope", ex);
			return null;
		}
	}

}
