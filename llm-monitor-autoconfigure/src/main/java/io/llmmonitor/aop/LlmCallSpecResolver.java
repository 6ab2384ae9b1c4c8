package io.llmmonitor.aop;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
		this.model = AttributeValue.of(annotation.model(), placeholders, method);
		this.provider = AttributeValue.of(annotation.provider(), placeholders, method);
		this.operation = AttributeValue.of(annotation.operation(), placeholders, method);
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
		MethodBasedEvaluationContext context = needsContext() ? new MethodBasedEvaluationContext(target, this.method,
				arguments, parameterNames) : null;
		return new LlmCallSpec(this.model.evaluate(context, arguments), this.provider.evaluate(context, arguments),
				this.operation.evaluate(context, arguments), this.stream);
	}

	/** Whether an attribute is an expression beyond a bare argument ({@code #model}). */
	private boolean needsContext() {
		return this.model.needsContext() || this.provider.needsContext() || this.operation.needsContext();
	}

	/** Resolves {@code ${...}} placeholders of an annotation attribute; empty stays empty. */
	static String resolvePlaceholders(String raw, @Nullable StringValueResolver placeholders) {
		if (placeholders == null || raw.isEmpty()) {
			return raw;
		}
		String resolved = placeholders.resolveStringValue(raw);
		return (resolved != null) ? resolved : "";
	}

	/**
	 * @param argument for an expression that only names an argument ({@code #model}, {@code #p0},
	 * {@code #a0}), the index of that argument, read without SpEL: the common case costs no
	 * evaluation context per call; {@code -1} otherwise
	 */
	private record AttributeValue(String value, @Nullable Expression expression, int argument) {

		private static final Pattern BARE_VARIABLE = Pattern.compile("#([A-Za-z_$][A-Za-z0-9_$]*)");

		static AttributeValue of(String raw, @Nullable StringValueResolver placeholders, Method method) {
			if (raw.startsWith("#") && !raw.startsWith("#{")) {
				return new AttributeValue(raw, parser.parseExpression(raw), argumentIndex(raw, method));
			}
			return new AttributeValue(resolvePlaceholders(raw, placeholders), null, -1);
		}

		/** The index of the argument a bare {@code #name} stands for, as SpEL resolves it; {@code -1} if none. */
		private static int argumentIndex(String raw, Method method) {
			Matcher bare = BARE_VARIABLE.matcher(raw.trim());
			if (!bare.matches() || method.isVarArgs()) {
				return -1;
			}
			String name = bare.group(1);
			if (name.equals("root") || name.equals("this")) {
				return -1;
			}
			@Nullable String @Nullable [] names = parameterNames.getParameterNames(method);
			if (names != null && names.length != method.getParameterCount()) {
				// a Kotlin suspend function (its continuation has no name): SpEL hands the last named
				// parameter the remaining arguments as an array, left to SpEL
				return -1;
			}
			// MethodBasedEvaluationContext defines, for each parameter in turn, a<i>, p<i> and its
			// name, a later definition winning: a parameter named p1 is shadowed by the second one
			int index = -1;
			for (int i = 0; i < method.getParameterCount(); i++) {
				if (name.equals("a" + i) || name.equals("p" + i) || (names != null && name.equals(names[i]))) {
					index = i;
				}
			}
			return index;
		}

		boolean needsContext() {
			return this.expression != null && this.argument < 0;
		}

		String evaluate(@Nullable MethodBasedEvaluationContext context, Object[] arguments) {
			if (this.expression == null) {
				return this.value;
			}
			Object result = (this.argument >= 0) ? ((this.argument < arguments.length) ? arguments[this.argument] : null)
					: this.expression.getValue(Objects.requireNonNull(context, "an expression needs its context"));
			return (result != null) ? result.toString() : "";
		}

	}

}
