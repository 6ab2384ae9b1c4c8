package io.llmmonitor.usage;

/**
 * Counts tokens of generated text when the provider reports no usage. Declare a bean of this type
 * to use another tokenizer.
 */
@FunctionalInterface
public interface TokenCounter {

	/**
	 * @param model the model that generated the text (may be {@code unknown})
	 * @param text the generated text
	 * @return the number of tokens in it
	 */
	long countTokens(String model, String text);

}
