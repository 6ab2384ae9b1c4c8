package io.llmmonitor.error;

import org.jspecify.annotations.Nullable;

/**
 * Decides the {@link ErrorCategory} of a failed LLM call. Declare beans of this type for errors
 * that llm-monitor does not know (an in-house gateway, a provider SDK it does not read): they are
 * asked first, in their {@code @Order}, and the first category returned wins; when each of them
 * returns {@code null}, the built-in {@link DefaultLlmErrorClassifier} decides. A classifier that
 * throws is skipped, with a warning logged.
 */
@FunctionalInterface
public interface LlmErrorClassifier {

	/**
	 * @param error what the call threw or signalled, as the caller sees it (causes not unwrapped)
	 * @return the category, or {@code null} to leave the decision to the next classifier
	 */
	@Nullable ErrorCategory classify(Throwable error);

}
