package io.llmmonitor.aop;

import java.lang.reflect.Method;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.call.LlmCallSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.expression.spel.SpelEvaluationException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An attribute that only names an argument ({@code #model}) is read without SpEL: it must give
 * what SpEL gives, for every way of naming an argument and for a {@code null} one.
 */
class LlmCallSpecResolverTests {

	@ParameterizedTest
	@ValueSource(strings = { "bareName", "byIndexP", "byIndexA", "secondName", "navigation", "root" })
	void bareArgumentGivesWhatSpelGives(String methodName) {
		Method method = ReflectionUtils.findMethod(Client.class, methodName, String.class, String.class);
		MonitoredLlmCall annotation = method.getAnnotation(MonitoredLlmCall.class);
		LlmCallSpecResolver resolver = new LlmCallSpecResolver(method, annotation, null, false);
		Client target = new Client();
		for (Object[] arguments : new Object[][] { { "gpt-4o", "openai" }, { null, "openai" }, { "gpt-4o", null } }) {
			LlmCallSpec expected;
			try {
				expected = new LlmCallSpec(spel(annotation.model(), target, method, arguments),
						spel(annotation.provider(), target, method, arguments), "chat", false);
			}
			catch (SpelEvaluationException ex) {
				assertThatExceptionOfType(SpelEvaluationException.class)
					.isThrownBy(() -> resolver.resolve(target, arguments));
				continue;
			}
			assertThat(resolver.resolve(target, arguments)).isEqualTo(expected);
		}
	}

	private static String spel(String expression, Object target, Method method, Object[] arguments) {
		if (!expression.startsWith("#")) {
			return expression;
		}
		Object value = new SpelExpressionParser().parseExpression(expression)
			.getValue(new MethodBasedEvaluationContext(target, method, arguments, new DefaultParameterNameDiscoverer()));
		return (value != null) ? value.toString() : "";
	}

	static class Client {

		@MonitoredLlmCall(model = "#model", provider = "#provider")
		public String bareName(String model, String provider) {
			return "";
		}

		@MonitoredLlmCall(model = "#p0", provider = "#p1")
		public String byIndexP(String model, String provider) {
			return "";
		}

		@MonitoredLlmCall(model = "#a0", provider = "openai")
		public String byIndexA(String model, String provider) {
			return "";
		}

		@MonitoredLlmCall(model = "#p1", provider = "#model")
		public String secondName(String provider, String model) {
			return "";
		}

		@MonitoredLlmCall(model = "#model?.toUpperCase()", provider = "#provider.length()")
		public String navigation(String model, String provider) {
			return "";
		}

		@MonitoredLlmCall(model = "#root.class.simpleName", provider = "#this.class.simpleName")
		public String root(String model, String provider) {
			return "";
		}

	}

}
