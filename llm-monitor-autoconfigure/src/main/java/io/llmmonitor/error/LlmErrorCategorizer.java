package io.llmmonitor.error;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The category of a failed call: the application's {@link LlmErrorClassifier}s first, in order,
 * then the {@link DefaultLlmErrorClassifier}. Never throws: a classifier that fails is skipped
 * (and logged at WARN once, then at DEBUG), so that monitoring never breaks the call it watches.
 */
public final class LlmErrorCategorizer {

	private static final Log logger = LogFactory.getLog(LlmErrorCategorizer.class);

	/** The built-in classification alone. */
	public static final LlmErrorCategorizer DEFAULT = new LlmErrorCategorizer(List.of());

	private final List<LlmErrorClassifier> classifiers;

	private final DefaultLlmErrorClassifier defaultClassifier = new DefaultLlmErrorClassifier();

	/** Classifiers that failed and were reported at WARN. */
	private final Set<Class<?>> reported = ConcurrentHashMap.newKeySet();

	/**
	 * @param classifiers the application's classifiers, in the order they are asked
	 */
	public LlmErrorCategorizer(List<? extends LlmErrorClassifier> classifiers) {
		this.classifiers = List.copyOf(classifiers);
	}

	/** The category of this error: never {@code null}, {@link ErrorCategory#OTHER} at worst. */
	public ErrorCategory categorize(Throwable error) {
		for (LlmErrorClassifier classifier : this.classifiers) {
			try {
				ErrorCategory category = classifier.classify(error);
				if (category != null) {
					return category;
				}
			}
			catch (RuntimeException | LinkageError ex) {
				report(classifier, error, ex);
			}
		}
		try {
			return this.defaultClassifier.classify(error);
		}
		catch (RuntimeException | LinkageError ex) {
			report(this.defaultClassifier, error, ex);
			return ErrorCategory.OTHER;
		}
	}

	private void report(LlmErrorClassifier classifier, Throwable error, Throwable failure) {
		String message = "LLM error classifier " + classifier.getClass().getName() + " failed on "
				+ error.getClass().getName() + " and was skipped";
		if (this.reported.add(classifier.getClass())) {
			logger.warn(message + " (further failures of it are logged at DEBUG)", failure);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, failure);
		}
	}

}
