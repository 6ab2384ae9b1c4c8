package io.llmmonitor.cost;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Prices calls: finds the model's price, by the model the provider answered with first, then by
 * the model requested, and warns once for each model that has none.
 */
public final class LlmPricing {

	private static final Log logger = LogFactory.getLog(LlmPricing.class);

	/** Most models warned about, so that a stream of unknown names cannot grow the set forever. */
	static final int MAX_WARNED_MODELS = 1_000;

	private final LlmPriceTable prices;

	private final Set<String> warnedModels = ConcurrentHashMap.newKeySet();

	public LlmPricing(LlmPriceTable prices) {
		this.prices = prices;
	}

	/**
	 * The cost of a call, or {@code null} when no price is known for its model or nothing was
	 * counted.
	 * @param responseModel the model the provider answered with, if known
	 * @param requestModel the model requested, possibly empty
	 * @param inputTokens input tokens the provider reported, if any
	 * @param outputTokens output tokens counted, if any
	 */
	public @Nullable CallCost costOf(@Nullable String responseModel, String requestModel, @Nullable Long inputTokens,
			@Nullable Long outputTokens) {
		return costOf(responseModel, requestModel, inputTokens, outputTokens, null);
	}

	/**
	 * The cost of a call, or {@code null} when no price is known for its model or nothing was
	 * counted. Of the input tokens, those read from the cache cost the model's cached-input price
	 * when it has one ({@link CallCost#cachedInputUsd()}), the input price otherwise; output
	 * tokens, reasoning ones included, cost the output price.
	 * @param responseModel the model the provider answered with, if known
	 * @param requestModel the model requested, possibly empty
	 * @param inputTokens input tokens the provider reported, cached ones included, if any
	 * @param outputTokens output tokens counted, if any
	 * @param cachedInputTokens of the input tokens, those the provider reported read from its
	 * cache, if any
	 */
	public @Nullable CallCost costOf(@Nullable String responseModel, String requestModel, @Nullable Long inputTokens,
			@Nullable Long outputTokens, @Nullable Long cachedInputTokens) {
		if (this.prices == LlmPriceTable.NONE || (inputTokens == null && outputTokens == null)) {
			return null;
		}
		ModelPrice price = (responseModel != null) ? this.prices.priceOf(responseModel) : null;
		if (price == null && !requestModel.isEmpty()) {
			price = this.prices.priceOf(requestModel);
		}
		if (price == null) {
			warnOnce((responseModel != null) ? responseModel : requestModel);
			return null;
		}
		long input = (inputTokens != null) ? inputTokens : 0;
		long output = (outputTokens != null) ? outputTokens : 0;
		long cached = (cachedInputTokens != null && price.cachedInputPerMillionTokens() != null)
				? Math.min(Math.max(cachedInputTokens, 0), input) : 0;
		return new CallCost(price.inputCost(input - cached), price.outputCost(output), price.cachedInputCost(cached));
	}

	private void warnOnce(String model) {
		if (this.warnedModels.size() < MAX_WARNED_MODELS && this.warnedModels.add(model)) {
			logger.warn("No price for LLM model '" + model
					+ "' in llm.monitor.pricing: its calls are not counted in llm_cost_usd_total");
		}
	}

}
