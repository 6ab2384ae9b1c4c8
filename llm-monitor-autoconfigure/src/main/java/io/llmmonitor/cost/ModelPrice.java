package io.llmmonitor.cost;

import org.jspecify.annotations.Nullable;

/**
 * What a model costs, in US dollars per one million tokens, as providers list their prices.
 *
 * @param inputPerMillionTokens USD per million input (prompt) tokens, 0 or more
 * @param outputPerMillionTokens USD per million output (completion) tokens, reasoning tokens
 * included, 0 or more
 * @param cachedInputPerMillionTokens USD per million input tokens read from the provider's
 * prompt cache, 0 or more; {@code null} when the model has no such price: then cached tokens
 * cost the input price
 */
public record ModelPrice(double inputPerMillionTokens, double outputPerMillionTokens,
		@Nullable Double cachedInputPerMillionTokens) {

	public ModelPrice {
		requireValid("input", inputPerMillionTokens);
		requireValid("output", outputPerMillionTokens);
		if (cachedInputPerMillionTokens != null) {
			requireValid("cached-input", cachedInputPerMillionTokens);
		}
	}

	/** A price without a cached-input price. */
	public ModelPrice(double inputPerMillionTokens, double outputPerMillionTokens) {
		this(inputPerMillionTokens, outputPerMillionTokens, null);
	}

	/** USD for this many input tokens. */
	public double inputCost(long tokens) {
		return tokens * this.inputPerMillionTokens / 1_000_000;
	}

	/** USD for this many output tokens. */
	public double outputCost(long tokens) {
		return tokens * this.outputPerMillionTokens / 1_000_000;
	}

	/** USD for this many input tokens read from the cache: the cached-input price, else the input price. */
	public double cachedInputCost(long tokens) {
		return (this.cachedInputPerMillionTokens != null) ? tokens * this.cachedInputPerMillionTokens / 1_000_000
				: inputCost(tokens);
	}

	private static void requireValid(String kind, double price) {
		if (!Double.isFinite(price) || price < 0) {
			throw new IllegalArgumentException(
					"The " + kind + " price must be a finite number of USD per million tokens, 0 or more, not " + price);
		}
	}

}
