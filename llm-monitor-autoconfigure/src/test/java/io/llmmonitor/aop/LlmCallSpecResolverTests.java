package io.llmmonitor.aop;

import java.lang.reflect.Method;
import java.util.Map;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.call.LlmCallSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.annotation.AnnotationUtils;
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
	@CsvSource(delimiter = '|', value = { "complete | #model | #provider", "complete | #p0 | #p1", "complete | #a0 | openai",
			"reversed | #p1 | #model", "complete | #model?.toUpperCase() | #provider.length()",
			"complete | #root.class.simpleName | #this.class.simpleName", "shadowing | #p1 | #a1",
			"shadowing | #p0 | #model", "shadowed | #p0 | #p1" })
	void bareArgumentGivesWhatSpelGives(String methodName, String model, String provider) {
		Method method = ReflectionUtils.findMethod(Client.class, methodName, String.class, String.class);
		MonitoredLlmCall annotation = AnnotationUtils.synthesizeAnnotation(
				Map.of("model", model, "provider", provider, "operation", "chat"), MonitoredLlmCall.class, null);
		LlmCallSpecResolver resolver = new LlmCallSpecResolver(method, annotation, null, false);
		Client target = new Client();
		for (Object[] arguments : new Object[][] { { "gpt-4o", "openai" }, { null, "openai" }, { "gpt-4o", null } }) {
			LlmCallSpec expected;
			try {
				expected = new LlmCallSpec(spel(model, target, method, arguments),
						spel(provider, target, method, arguments), "chat", false);
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

		public String complete(String model, String provider) {
			return model + provider;
		}

		public String reversed(String provider, String model) {
			return model + provider;
		}

		// a parameter named like the index variable of a later one: SpEL defines a<i>, p<i> and the
		// name of each parameter in turn, so #p1 is the second argument
		public String shadowing(String p1, String model) {
			return model + p1;
		}

		// a parameter named like the index variable of an earlier one: #p0 is the second argument
		public String shadowed(String provider, String p0) {
			return p0 + provider;
		}

	}

}
