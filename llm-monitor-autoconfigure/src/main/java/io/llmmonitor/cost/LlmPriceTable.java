package io.llmmonitor.cost;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Prices of models, looked up by model name. The auto-configuration builds one from
 * {@code llm.monitor.pricing}; declare a bean of this type to take prices from elsewhere.
 */
@FunctionalInterface
public interface LlmPriceTable {

	/** No prices: calls get no cost and nothing is logged. */
	LlmPriceTable NONE = (model) -> null;

	/** The price of this model, or {@code null} when it has none. */
	@Nullable ModelPrice priceOf(String model);

	/**
	 * A table of these prices. A model is found by its exact name (ignoring case) or, failing
	 * that, by its name without a snapshot suffix: {@code gpt-4o-2024-08-06}, {@code gpt-4-0613},
	 * {@code claude-3-5-sonnet-20241022} and {@code claude-3-5-sonnet@20240620} take the prices
	 * of {@code gpt-4o}, {@code gpt-4}, {@code claude-3-5-sonnet}. Other prefixes never match:
	 * {@code gpt-4o-mini} does not take the price of {@code gpt-4o}.
	 * @param prices price by model name
	 */
	static LlmPriceTable of(Map<String, ModelPrice> prices) {
		return prices.isEmpty() ? NONE : new ConfiguredPriceTable(prices);
	}

}
