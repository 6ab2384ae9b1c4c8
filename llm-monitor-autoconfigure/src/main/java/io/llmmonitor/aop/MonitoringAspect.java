package io.llmmonitor.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.call.CallStarter;
import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.MonitoringFailures;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.StringValueResolver;

/**
 * Monitors methods annotated with {@link MonitoredLlmCall} and {@link MonitoredEndpoint}. The
 * annotation of each method is resolved once (placeholders included) and cached.
 */
@Aspect
public class MonitoringAspect implements EmbeddedValueResolverAware {

	private final LlmMonitor llmMonitor;

	private final EndpointMonitor endpointMonitor;

	private final InvocationObserver invocationObserver;

	private final Map<Method, LlmCallSpecResolver> llmCallSpecs = new ConcurrentHashMap<>();

	private final Map<Method, CallStarter> llmCallStarters = new ConcurrentHashMap<>();

	private final Map<Method, CallStarter> endpointStarters = new ConcurrentHashMap<>();

	private @Nullable StringValueResolver valueResolver;

	public MonitoringAspect(LlmMonitor llmMonitor, EndpointMonitor endpointMonitor,
			InvocationObserver invocationObserver) {
		this.llmMonitor = llmMonitor;
		this.endpointMonitor = endpointMonitor;
		this.invocationObserver = invocationObserver;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	@Around("@annotation(io.llmmonitor.annotation.MonitoredLlmCall) && execution(* *(..))")
	public Object monitorLlmCall(ProceedingJoinPoint joinPoint) throws Throwable {
		Method method = method(joinPoint);
		CallStarter starter = this.llmCallStarters.get(method);
		if (starter == null) {
			try {
				starter = llmCallStarter(method, joinPoint);
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("reading @MonitoredLlmCall of " + method, ex);
				return joinPoint.proceed();
			}
		}
		return this.invocationObserver.observe(method.getReturnType(), starter, joinPoint::proceed);
	}

	/** The starter of this call: cached when the spec is fixed, else made from the arguments. */
	private CallStarter llmCallStarter(Method method, ProceedingJoinPoint joinPoint) {
		LlmCallSpecResolver resolver = this.llmCallSpecs.computeIfAbsent(method,
				(key) -> new LlmCallSpecResolver(key, annotation(key, joinPoint.getTarget(), MonitoredLlmCall.class),
						this.valueResolver, this.invocationObserver.isStream(key.getReturnType())));
		if (resolver.isFixed()) {
			return this.llmCallStarters.computeIfAbsent(method,
					(key) -> this.llmMonitor.starter(resolver.resolve(joinPoint.getTarget(), joinPoint.getArgs())));
		}
		try {
			return this.llmMonitor.starter(resolver.resolve(joinPoint.getTarget(), joinPoint.getArgs()));
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("evaluating the @MonitoredLlmCall expressions of " + method, ex);
			return this.llmMonitor.starter(new LlmCallSpec("", "", "", resolver.isStream()));
		}
	}

	@Around("@annotation(io.llmmonitor.annotation.MonitoredEndpoint) && execution(* *(..))")
	public Object monitorEndpoint(ProceedingJoinPoint joinPoint) throws Throwable {
		Method method = method(joinPoint);
		CallStarter starter;
		try {
			starter = this.endpointStarters.computeIfAbsent(method, (key) -> endpointStarter(key, joinPoint.getTarget()));
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("reading @MonitoredEndpoint of " + method, ex);
			return joinPoint.proceed();
		}
		return this.invocationObserver.observe(method.getReturnType(), starter, joinPoint::proceed);
	}

	private CallStarter endpointStarter(Method method, @Nullable Object target) {
		String name = LlmCallSpecResolver
			.resolvePlaceholders(annotation(method, target, MonitoredEndpoint.class).value(), this.valueResolver)
			.trim();
		if (name.isEmpty()) {
			name = targetClass(method, target).getSimpleName() + "." + method.getName();
		}
		return this.endpointMonitor.starter(name);
	}

	private static <A extends Annotation> A annotation(Method method, @Nullable Object target, Class<A> type) {
		A annotation = AnnotationUtils.findAnnotation(method, type);
		if (annotation == null) {
			annotation = AnnotationUtils.findAnnotation(AopUtils.getMostSpecificMethod(method, targetClass(method, target)),
					type);
		}
		return annotation;
	}

	private static Class<?> targetClass(Method method, @Nullable Object target) {
		return (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
	}

	private static Method method(ProceedingJoinPoint joinPoint) {
		return ((MethodSignature) joinPoint.getSignature()).getMethod();
	}

}
