package io.llmmonitor.observation;

/**
 * Where an output token count comes from, best first.
 */
public enum TokenCountSource {

	/** Reported by the provider in a usage block: exact. */
	PROVIDER("provider"),

	/** Counted with a BPE tokenizer on the generated text: an estimate. */
	TOKENIZER("tokenizer"),

	/** One token per non-text stream element: a rough estimate. */
	CHUNKS("chunks");

	private final String tagValue;

	TokenCountSource(String tagValue) {
		this.tagValue = tagValue;
	}

	public String tagValue() {
		return this.tagValue;
	}

}
