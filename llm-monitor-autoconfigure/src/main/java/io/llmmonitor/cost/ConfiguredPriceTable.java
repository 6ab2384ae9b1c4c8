package io.llmmonitor.cost;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** {@link LlmPriceTable#of}: exact names ignoring case, then without a snapshot suffix. */
final class ConfiguredPriceTable implements LlmPriceTable {

	/** A dated or numbered snapshot: -2024-08-06, -20241022, -0613, @20240620. */
	private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("[-@](\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4})$");

	private final Map<String, ModelPrice> prices = new HashMap<>();

	ConfiguredPriceTable(Map<String, ModelPrice> prices) {
		prices.forEach((model, price) -> this.prices.put(normalized(model), price));
	}

	@Override
	public @Nullable ModelPrice priceOf(String model) {
		String name = normalized(model);
		ModelPrice price = this.prices.get(name);
		if (price == null) {
			String base = SNAPSHOT_SUFFIX.matcher(name).replaceFirst("");
			if (!base.equals(name)) {
				price = this.prices.get(base);
			}
		}
		return price;
	}

	private static String normalized(String model) {
		return model.trim().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return "LlmPriceTable " + this.prices.keySet();
	}

}
