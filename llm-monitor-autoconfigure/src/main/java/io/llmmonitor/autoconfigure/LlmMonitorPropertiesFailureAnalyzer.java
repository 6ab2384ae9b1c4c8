package io.llmmonitor.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a start that failed on {@code llm.monitor.*} properties that bind to nothing
 * ({@link LlmMonitorProperties} is bound with {@code ignoreUnknownFields = false}, so a misspelt
 * setting fails the start instead of silently keeping its default). For each property, the
 * reason:
 * <ul>
 * <li>a name that is no property of llm-monitor ({@code llm.monitor.slow-request-treshold}),
 * with the closest property named when there is one;</li>
 * <li>a model name holding dots written without brackets
 * ({@code llm.monitor.pricing.gpt-3.5-turbo.input} is read as the nested path
 * {@code gpt-3 / 5-turbo / input} and bound to nothing);</li>
 * <li>a price other than {@code input}, {@code output} or {@code cached-input}, a model budget
 * other than {@code daily-usd} or {@code monthly-usd}.</li>
 * </ul>
 * Ordered before Spring Boot's own analyzer of unbound properties, which would only say that they
 * were left unbound. As everywhere with {@code ignoreUnknownFields = false}, environment variables
 * and system properties are not checked: an unrelated {@code LLM_MONITOR_*} variable never fails a
 * start.
 */
class LlmMonitorPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("llm.monitor");

	private static final ConfigurationPropertyName PRICING = PREFIX.append("pricing");

	private static final ConfigurationPropertyName BUDGET_MODELS = PREFIX.append("budget.models");

	/** Most edits between a misspelt name and the property suggested for it. */
	private static final int MAX_SUGGESTION_DISTANCE = 3;

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		BindException bindFailure = findCause(rootFailure, BindException.class);
		if (bindFailure == null || !PREFIX.equals(bindFailure.getName())) {
			return null;
		}
		List<ConfigurationProperty> unbound = new ArrayList<>(cause.getUnboundProperties());
		unbound.sort(null);
		StringBuilder description = new StringBuilder(
				String.format("Properties under 'llm.monitor' bind to nothing: llm-monitor would ignore them.%n"));
		for (ConfigurationProperty property : unbound) {
			description.append(String.format("%n    Property: %s", property.getName()));
			description.append(String.format("%n    Value: \"%s\"", property.getValue()));
			description.append(String.format("%n    Origin: %s", property.getOrigin()));
			description.append(String.format("%n    Reason: %s%n", reasonUnbound(property.getName())));
		}
		return new FailureAnalysis(description.toString(),
				"Correct the names of these properties in your application's configuration, or remove them.", cause);
	}

	/** Before Spring Boot's analyzer of the same failure. */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	private static String reasonUnbound(ConfigurationPropertyName name) {
		if (PRICING.isAncestorOf(name)) {
			if (name.getNumberOfElements() != PRICING.getNumberOfElements() + 2) {
				return "A model name holding dots must be written in brackets: "
						+ "llm.monitor.pricing.[gpt-3.5-turbo].input, or \"[gpt-3.5-turbo]\": in YAML";
			}
			return "A model has the prices input and output, and optionally cached-input (USD per million tokens)";
		}
		if (BUDGET_MODELS.isAncestorOf(name)) {
			if (name.getNumberOfElements() != BUDGET_MODELS.getNumberOfElements() + 2) {
				return "A model name holding dots must be written in brackets: "
						+ "llm.monitor.budget.models.[gpt-3.5-turbo].daily-usd, or \"[gpt-3.5-turbo]\": in YAML";
			}
			return "A model's budget has daily-usd and monthly-usd (USD)";
		}
		String suggestion = closestKnownName(name);
		return "llm-monitor has no such property"
				+ ((suggestion != null) ? "; did you mean '" + suggestion + "'?" : "; see the property table in docs/reference.md#properties");
	}

	private static @Nullable String closestKnownName(ConfigurationPropertyName unknown) {
		String closest = null;
		int closestDistance = MAX_SUGGESTION_DISTANCE + 1;
		for (String known : knownNames(PREFIX.toString(), LlmMonitorProperties.class)) {
			String candidate = known;
			if (known.equals(PRICING.toString()) && unknown.getNumberOfElements() > PRICING.getNumberOfElements()) {
				// a misspelt map: llm.monitor.priceing.gpt-4o.input is compared with pricing.gpt-4o.input
				candidate = PRICING.append(unknown.subName(PRICING.getNumberOfElements())).toString();
			}
			int distance = editDistance(unknown.toString(), candidate);
			if (distance < closestDistance) {
				closest = candidate;
				closestDistance = distance;
			}
		}
		return closest;
	}

	/** The names of the leaf properties of {@code type}, nested groups walked. */
	static List<String> knownNames(String prefix, Class<?> type) {
		List<String> names = new ArrayList<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + DataObjectPropertyName.toDashedForm(property.getName());
			Class<?> propertyType = property.getPropertyType();
			boolean group = propertyType.getDeclaringClass() == LlmMonitorProperties.class
					&& !Map.class.isAssignableFrom(propertyType);
			if (group) {
				names.addAll(knownNames(name, propertyType));
			}
			else {
				names.add(name);
			}
		}
		return names;
	}

	private static int editDistance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
