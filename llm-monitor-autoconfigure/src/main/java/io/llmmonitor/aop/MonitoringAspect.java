package io.llmmonitor.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.MonitoringFailures;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodClassKey;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;

/**
 * Monitors methods annotated with {@link MonitoredLlmCall} and {@link MonitoredEndpoint}. The
 * annotation of each method is resolved once per target class (placeholders included) and
 * cached: a method inherited by two beans of different classes is two methods here. Its
 * pointcuts ({@code execution(@MonitoredLlmCall * *(..))}) are decided once per method when the
 * proxy is made; an {@code @annotation(...)} pointcut would be tested again on every call.
 * <p>
 * Its {@linkplain #getOrder() order} places it among the other advice of a bean. The default,
 * {@link Ordered#LOWEST_PRECEDENCE}, runs it closest to the method: inside Spring's cache
 * interceptor, so that a cache hit is no LLM call, and inside retry interceptors, so that each
 * attempt is one call.
 */
@Aspect
public class MonitoringAspect implements EmbeddedValueResolverAware, Ordered {

	private static final @Nullable Class<?> PUBLISHER = publisherType();

	private final LlmMonitor llmMonitor;

	private final EndpointMonitor endpointMonitor;

	private final InvocationObserver invocationObserver;

	private final Map<MethodClassKey, LlmCallSpecResolver> llmCallSpecs = new ConcurrentHashMap<>();

	private final Map<MethodClassKey, CallStarter> llmCallStarters = new ConcurrentHashMap<>();

	private final Map<MethodClassKey, CallStarter> endpointStarters = new ConcurrentHashMap<>();

	/** Return types as the aspect sees them, where Kotlin is present. */
	private final Map<Method, Class<?>> returnTypes = new ConcurrentHashMap<>();

	private final int order;

	private @Nullable StringValueResolver valueResolver;

	public MonitoringAspect(LlmMonitor llmMonitor, EndpointMonitor endpointMonitor,
			InvocationObserver invocationObserver) {
		this(llmMonitor, endpointMonitor, invocationObserver, Ordered.LOWEST_PRECEDENCE);
	}

	/**
	 * @param order the order of this aspect among the other advice of a bean
	 */
	public MonitoringAspect(LlmMonitor llmMonitor, EndpointMonitor endpointMonitor,
			InvocationObserver invocationObserver, int order) {
		this.llmMonitor = llmMonitor;
		this.endpointMonitor = endpointMonitor;
		this.invocationObserver = invocationObserver;
		this.order = order;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	@Around("execution(@io.llmmonitor.annotation.MonitoredLlmCall * *(..))")
	public @Nullable Object monitorLlmCall(ProceedingJoinPoint joinPoint) throws Throwable {
		if (this.llmMonitor.registry().isNoop()) {
			return joinPoint.proceed();
		}
		Method method = method(joinPoint);
		MethodClassKey key = new MethodClassKey(method, targetClass(method, joinPoint.getTarget()));
		CallStarter starter = this.llmCallStarters.get(key);
		if (starter == null) {
			try {
				starter = llmCallStarter(key, joinPoint);
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("reading @MonitoredLlmCall of " + method, ex);
				return joinPoint.proceed();
			}
		}
		return this.invocationObserver.observe(returnType(method), starter, joinPoint::proceed);
	}

	/** The starter of this call: cached when the spec is fixed, else made from the arguments. */
	private CallStarter llmCallStarter(MethodClassKey methodKey, ProceedingJoinPoint joinPoint) {
		Method method = method(joinPoint);
		LlmCallSpecResolver resolver = this.llmCallSpecs.computeIfAbsent(methodKey, (key) -> {
			// the parameter names of the expressions are those of the method that runs
			Method specific = specificMethod(method, joinPoint.getTarget());
			return new LlmCallSpecResolver(specific, annotation(specific, method, MonitoredLlmCall.class),
					this.valueResolver, this.invocationObserver.isStream(specific.getReturnType()));
		});
		if (resolver.isFixed()) {
			return this.llmCallStarters.computeIfAbsent(methodKey,
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

	@Around("execution(@io.llmmonitor.annotation.MonitoredEndpoint * *(..))")
	public @Nullable Object monitorEndpoint(ProceedingJoinPoint joinPoint) throws Throwable {
		Method method = method(joinPoint);
		CallStarter starter;
		try {
			starter = this.endpointStarters.computeIfAbsent(
					new MethodClassKey(method, targetClass(method, joinPoint.getTarget())),
					(key) -> endpointStarter(method, joinPoint.getTarget()));
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("reading @MonitoredEndpoint of " + method, ex);
			return joinPoint.proceed();
		}
		return this.invocationObserver.observe(returnType(method), starter, joinPoint::proceed);
	}

	/**
	 * The type of what the advised method hands the aspect: Spring invokes a Kotlin
	 * {@code suspend} function as a {@code Mono} (a {@code Flux} for a {@code Flow}) that the
	 * caller's coroutine subscribes to, with its Reactor context: the call starts on subscription,
	 * as for any reactive return, and its parent is the caller's observation.
	 */
	private Class<?> returnType(Method method) {
		Class<?> publisher = PUBLISHER;
		if (publisher == null) {
			return method.getReturnType();
		}
		return this.returnTypes.computeIfAbsent(method,
				(key) -> KotlinDetector.isSuspendingFunction(key) ? publisher : key.getReturnType());
	}

	private CallStarter endpointStarter(Method method, @Nullable Object target) {
		Method specific = specificMethod(method, target);
		String name = LlmCallSpecResolver
			.resolvePlaceholders(annotation(specific, method, MonitoredEndpoint.class).value(), this.valueResolver)
			.trim();
		if (name.isEmpty()) {
			Class<?> targetClass = targetClass(method, target);
			Class<?> named = Proxy.isProxyClass(targetClass) ? proxiedInterface(targetClass, method) : targetClass;
			name = named.getSimpleName() + "." + method.getName();
		}
		return this.endpointMonitor.starter(name);
	}

	/**
	 * The interface an interface proxy's class (a generated {@code $ProxyNN}) implements the method
	 * for: the proxied one, not a super-interface that declares it and that other proxies share.
	 */
	private static Class<?> proxiedInterface(Class<?> proxyClass, Method method) {
		for (Class<?> proxied : proxyClass.getInterfaces()) {
			if (method.getDeclaringClass().isAssignableFrom(proxied)) {
				return proxied;
			}
		}
		return method.getDeclaringClass();
	}

	/**
	 * The method that runs: the target class's, which through an interface-based proxy is not the
	 * invoked interface method; the invoked one where the target is itself an interface proxy (an
	 * {@code @HttpExchange} client), which Spring AOP advises by its interface's annotations.
	 */
	private static Method specificMethod(Method method, @Nullable Object target) {
		Class<?> targetClass = targetClass(method, target);
		return Proxy.isProxyClass(targetClass) ? method : AopUtils.getMostSpecificMethod(method, targetClass);
	}

	/** The annotation of the method that runs, else of the invoked one (an interface's). */
	private static <A extends Annotation> A annotation(Method specific, Method invoked, Class<A> type) {
		A annotation = AnnotationUtils.findAnnotation(specific, type);
		if (annotation == null) {
			annotation = AnnotationUtils.findAnnotation(invoked, type);
		}
		Assert.state(annotation != null, () -> "No @" + type.getSimpleName() + " on " + invoked);
		return annotation;
	}

	private static Class<?> targetClass(Method method, @Nullable Object target) {
		return (target != null) ? AopUtils.getTargetClass(target) : method.getDeclaringClass();
	}

	private static @Nullable Class<?> publisherType() {
		ClassLoader classLoader = MonitoringAspect.class.getClassLoader();
		if (!KotlinDetector.isKotlinPresent() || !ClassUtils.isPresent("org.reactivestreams.Publisher", classLoader)) {
			return null;
		}
		return ClassUtils.resolveClassName("org.reactivestreams.Publisher", classLoader);
	}

	private static Method method(ProceedingJoinPoint joinPoint) {
		return ((MethodSignature) joinPoint.getSignature()).getMethod();
	}

}
