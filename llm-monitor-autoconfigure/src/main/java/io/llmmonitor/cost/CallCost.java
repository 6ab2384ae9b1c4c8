package io.llmmonitor.cost;

/**
 * What one call cost, in US dollars: its input tokens and its output tokens at the model's
 * price. Input tokens the provider did not report cost nothing here.
 *
 * @param inputUsd cost of the input tokens
 * @param outputUsd cost of the output tokens
 */
public record CallCost(double inputUsd, double outputUsd) {

	public double totalUsd() {
		return this.inputUsd + this.outputUsd;
	}

}
