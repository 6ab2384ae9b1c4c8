package io.llmmonitor.cost;

/**
 * What a model costs, in US dollars per one million tokens, as providers list their prices.
 *
 * @param inputPerMillionTokens USD per million input (prompt) tokens, 0 or more
 * @param outputPerMillionTokens USD per million output (completion) tokens, 0 or more
 */
public record ModelPrice(double inputPerMillionTokens, double outputPerMillionTokens) {

	public ModelPrice {
		requireValid("input", inputPerMillionTokens);
		requireValid("output", outputPerMillionTokens);
	}

	/** USD for this many input tokens. */
	public double inputCost(long tokens) {
		return tokens * this.inputPerMillionTokens / 1_000_000;
	}

	/** USD for this many output tokens. */
	public double outputCost(long tokens) {
		return tokens * this.outputPerMillionTokens / 1_000_000;
	}

	private static void requireValid(String kind, double price) {
		if (!Double.isFinite(price) || price < 0) {
			throw new IllegalArgumentException(
					"The " + kind + " price must be a finite number of USD per million tokens, 0 or more, not " + price);
		}
	}

}
