package io.llmmonitor.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Catches the pricing entries that binding would drop without a word: a model name holding dots
 * written without brackets ({@code llm.monitor.pricing.gpt-3.5-turbo.input} is read as the nested
 * path {@code gpt-3 / 5-turbo / input} and bound to nothing), and a price other than
 * {@code input} or {@code output}.
 */
final class PricingPropertyNames {

	private static final ConfigurationPropertyName PRICING = ConfigurationPropertyName.of("llm.monitor.pricing");

	private PricingPropertyNames() {
	}

	/**
	 * @throws InvalidConfigurationPropertyValueException naming the first such property
	 */
	static void rejectUnboundPrices(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().filter(PRICING::isAncestorOf).forEach((name) -> {
					String reason = reasonUnbound(name);
					if (reason != null) {
						throw new InvalidConfigurationPropertyValueException(name.toString(),
								source.getConfigurationProperty(name).getValue(), reason);
					}
				});
			}
		}
	}

	private static String reasonUnbound(ConfigurationPropertyName name) {
		if (name.getNumberOfElements() != PRICING.getNumberOfElements() + 2) {
			return "A model name holding dots must be written in brackets: "
					+ "llm.monitor.pricing.[gpt-3.5-turbo].input, or \"[gpt-3.5-turbo]\": in YAML";
		}
		String price = name.getLastElement(ConfigurationPropertyName.Form.UNIFORM);
		if (!price.equals("input") && !price.equals("output")) {
			return "A model has two prices, input and output (USD per million tokens)";
		}
		return null;
	}

}
