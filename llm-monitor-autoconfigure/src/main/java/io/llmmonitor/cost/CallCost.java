package io.llmmonitor.cost;

/**
 * What one call cost, in US dollars, in parts that add up to its total: its input tokens at the
 * model's input price, its cached input tokens at the cached-input price (when the model has one;
 * otherwise they are in {@code inputUsd}), and its output tokens, reasoning included, at the
 * output price. Input tokens the provider did not report cost nothing here.
 *
 * @param inputUsd cost of the input tokens not priced as cached
 * @param outputUsd cost of the output tokens, reasoning tokens included
 * @param cachedInputUsd cost of the input tokens read from the provider's cache, at the
 * cached-input price; 0 when the model has none
 */
public record CallCost(double inputUsd, double outputUsd, double cachedInputUsd) {

	/** Input and output only, nothing priced as cached. */
	public CallCost(double inputUsd, double outputUsd) {
		this(inputUsd, outputUsd, 0);
	}

	public double totalUsd() {
		return this.inputUsd + this.cachedInputUsd + this.outputUsd;
	}

}
