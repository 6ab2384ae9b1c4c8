package io.llmmonitor.springai;

import java.util.function.Function;
import java.util.function.Supplier;

import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.internal.MonitoringFailures;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

/**
 * What the chat model interceptor and the chat client advisor share: the monitor is resolved at
 * the call, and a failure to set the call up is reported and leaves the call running
 * unmonitored.
 */
final class SpringAiInvocations {

	private SpringAiInvocations() {
	}

	/**
	 * @param starter the starter of the call, made with the resolved observer
	 * @param what what is monitored, for the report of a failure: built only then
	 */
	static @Nullable Object observe(ObjectProvider<InvocationObserver> invocationObserver,
			Function<InvocationObserver, CallStarter> starter, Class<?> returnType,
			InvocationObserver.Invocation<?> invocation, Supplier<String> what) throws Throwable {
		InvocationObserver observer;
		CallStarter callStarter;
		try {
			observer = invocationObserver.getObject();
			callStarter = starter.apply(observer);
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("monitoring " + what.get(), ex);
			return invocation.proceed();
		}
		return observer.observe(returnType, callStarter, invocation);
	}

}
