package io.llmmonitor.cost;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.llmmonitor.usage.LlmUsage;
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

	private final Set<String> inconsistentModels = ConcurrentHashMap.newKeySet();

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
	 * The cost of a call, as {@link #costOf(String, String, Long, Long, Long, Long)} with no
	 * cache-creation count.
	 */
	public @Nullable CallCost costOf(@Nullable String responseModel, String requestModel, @Nullable Long inputTokens,
			@Nullable Long outputTokens, @Nullable Long cachedInputTokens) {
		return costOf(responseModel, requestModel, inputTokens, outputTokens, cachedInputTokens, null);
	}

	/**
	 * The cost of a call, or {@code null} when no price is known for its model or nothing was
	 * counted. Of the input tokens, those read from the cache cost the model's cached-input price
	 * when it has one ({@link CallCost#cachedInputUsd()}), the input price otherwise; those written
	 * to the cache, and the others, cost the input price; output tokens, reasoning ones included,
	 * cost the output price.
	 * <p>
	 * The cached and cache-creation tokens are parts of the input tokens ({@link LlmUsage}). A
	 * usage whose cached and cache-creation tokens add up to more than its input tokens is
	 * inconsistent: its input count left the cache out (as Anthropic's {@code input_tokens} does),
	 * so the cache counts are billed on top of it, and one WARN per model says so. No part is
	 * ever billed a negative count.
	 * @param responseModel the model the provider answered with, if known
	 * @param requestModel the model requested, possibly empty
	 * @param inputTokens input tokens the provider reported, cached ones included, if any
	 * @param outputTokens output tokens counted, if any
	 * @param cachedInputTokens of the input tokens, those the provider reported read from its
	 * cache, if any
	 * @param cacheCreationInputTokens of the input tokens, those the provider reported written to
	 * its cache, if any
	 */
	public @Nullable CallCost costOf(@Nullable String responseModel, String requestModel, @Nullable Long inputTokens,
			@Nullable Long outputTokens, @Nullable Long cachedInputTokens, @Nullable Long cacheCreationInputTokens) {
		if (this.prices == LlmPriceTable.NONE || (inputTokens == null && outputTokens == null)) {
			return null;
		}
		ModelPrice price = (responseModel != null) ? this.prices.priceOf(responseModel) : null;
		if (price == null && !requestModel.isEmpty()) {
			price = this.prices.priceOf(requestModel);
		}
		String model = (responseModel != null) ? responseModel : requestModel;
		if (price == null) {
			warnOnce(model);
			return null;
		}
		long input = nonNegative(inputTokens);
		long output = nonNegative(outputTokens);
		long cached = nonNegative(cachedInputTokens);
		long cacheCreation = nonNegative(cacheCreationInputTokens);
		long uncached;
		if (cached + cacheCreation > input) {
			warnInconsistentOnce(model, input, cached, cacheCreation);
			uncached = input + cacheCreation;
		}
		else {
			uncached = input - cached;
		}
		if (price.cachedInputPerMillionTokens() == null) {
			return new CallCost(price.inputCost(uncached + cached), price.outputCost(output), 0);
		}
		return new CallCost(price.inputCost(uncached), price.outputCost(output), price.cachedInputCost(cached));
	}

	private static long nonNegative(@Nullable Long tokens) {
		return (tokens != null && tokens > 0) ? tokens : 0;
	}

	private void warnInconsistentOnce(String model, long input, long cached, long cacheCreation) {
		if (this.inconsistentModels.size() < MAX_WARNED_MODELS && this.inconsistentModels.add(model)) {
			logger.warn("LLM model '" + model + "' reported " + cached + " cached and " + cacheCreation
					+ " cache-creation input tokens, more than its " + input
					+ " input tokens: its input count is taken to leave the cache out, and the cache tokens are billed"
					+ " on top of it. An LlmResponseExtractor should report input tokens cached ones included.");
		}
	}

	private void warnOnce(String model) {
		if (this.warnedModels.size() < MAX_WARNED_MODELS && this.warnedModels.add(model)) {
			logger.warn("No price for LLM model '" + model
					+ "' in llm.monitor.pricing: its calls are not counted in llm_cost_usd_total");
		}
	}

}
