package io.llmmonitor.aop;

import java.lang.reflect.Method;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.call.LlmCallSpec;
import org.jspecify.annotations.Nullable;

import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.StringValueResolver;

/**
 * The {@link LlmCallSpec} of one annotated method. Attribute values are resolved once
 * (placeholders such as {@code ${app.llm.model}}), except those starting with {@code #}: SpEL
 * expressions over the method arguments such as {@code #request.model}, evaluated on every call.
 */
final class LlmCallSpecResolver {

	private static final SpelExpressionParser parser = new SpelExpressionParser();

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Method method;

	private final AttributeValue model;

	private final AttributeValue provider;

	private final AttributeValue operation;

	private final boolean stream;

	private final @Nullable LlmCallSpec fixedSpec;

	LlmCallSpecResolver(Method method, MonitoredLlmCall annotation, @Nullable StringValueResolver placeholders,
			boolean stream) {
		this.method = method;
		this.model = AttributeValue.of(annotation.model(), placeholders);
		this.provider = AttributeValue.of(annotation.provider(), placeholders);
		this.operation = AttributeValue.of(annotation.operation(), placeholders);
		this.stream = stream;
		boolean fixed = this.model.expression == null && this.provider.expression == null
				&& this.operation.expression == null;
		this.fixedSpec = fixed ? new LlmCallSpec(this.model.value, this.provider.value, this.operation.value, stream)
				: null;
	}

	boolean isStream() {
		return this.stream;
	}

	/** Whether every call of the method has the same spec. */
	boolean isFixed() {
		return this.fixedSpec != null;
	}

	/** The spec of a call with these arguments. */
	LlmCallSpec resolve(Object target, Object[] arguments) {
		if (this.fixedSpec != null) {
			return this.fixedSpec;
		}
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(target, this.method, arguments,
				parameterNames);
		return new LlmCallSpec(this.model.evaluate(context), this.provider.evaluate(context),
				this.operation.evaluate(context), this.stream);
	}

	/** Resolves {@code ${...}} placeholders of an annotation attribute; empty stays empty. */
	static String resolvePlaceholders(String raw, @Nullable StringValueResolver placeholders) {
		if (placeholders == null || raw.isEmpty()) {
			return raw;
		}
		String resolved = placeholders.resolveStringValue(raw);
		return (resolved != null) ? resolved : "";
	}

	private record AttributeValue(String value, @Nullable Expression expression) {

		static AttributeValue of(String raw, @Nullable StringValueResolver placeholders) {
			if (raw.startsWith("#") && !raw.startsWith("#{")) {
				return new AttributeValue(raw, parser.parseExpression(raw));
			}
			return new AttributeValue(resolvePlaceholders(raw, placeholders), null);
		}

		String evaluate(MethodBasedEvaluationContext context) {
			if (this.expression == null) {
				return this.value;
			}
			Object result = this.expression.getValue(context);
			return (result != null) ? result.toString() : "";
		}

	}

}
