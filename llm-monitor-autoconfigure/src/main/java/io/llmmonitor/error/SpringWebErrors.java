package io.llmmonitor.error;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatusCode;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.client.RestClientResponseException;

/**
 * Spring's HTTP client exceptions; loaded only when spring-web is on the class path.
 * {@code WebClientResponseException} (spring-webflux, no dependency) is read by name.
 */
final class SpringWebErrors {

	private static final String WEB_CLIENT_RESPONSE_EXCEPTION = "org.springframework.web.reactive.function.client.WebClientResponseException";

	private SpringWebErrors() {
	}

	static @Nullable ErrorCategory categoryOf(Throwable error) {
		if (error instanceof RestClientResponseException response) {
			return DefaultLlmErrorClassifier.ofStatus(response.getStatusCode().value(),
					response.getResponseBodyAsString());
		}
		if (isWebClientResponseException(error.getClass())) {
			Object status = invoke(error, "getStatusCode");
			if (status instanceof HttpStatusCode code) {
				Object body = invoke(error, "getResponseBodyAsString");
				return DefaultLlmErrorClassifier.ofStatus(code.value(), (body instanceof String text) ? text : null);
			}
		}
		return null;
	}

	private static boolean isWebClientResponseException(Class<?> type) {
		for (Class<?> candidate = type; candidate != null && candidate != Throwable.class; candidate = candidate
			.getSuperclass()) {
			if (candidate.getName().equals(WEB_CLIENT_RESPONSE_EXCEPTION)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable Object invoke(Object target, String methodName) {
		Method method = ReflectionUtils.findMethod(target.getClass(), methodName);
		return (method != null) ? ReflectionUtils.invokeMethod(method, target) : null;
	}

}
