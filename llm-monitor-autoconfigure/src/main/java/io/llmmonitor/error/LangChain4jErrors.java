package io.llmmonitor.error;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's exceptions ({@code dev.langchain4j.exception}); loaded only when LangChain4j is on
 * the class path. {@code ContentFilteredException} (LangChain4j 1.2.0 and later, where 1.x is
 * supported) is matched by name, so that an older LangChain4j still has its other exceptions read.
 */
final class LangChain4jErrors {

	private static final String CONTENT_FILTERED_EXCEPTION = "dev.langchain4j.exception.ContentFilteredException";

	private LangChain4jErrors() {
	}

	static @Nullable ErrorCategory categoryOf(Throwable error) {
		if (isA(error.getClass(), CONTENT_FILTERED_EXCEPTION)) {
			return ErrorCategory.CONTENT_FILTER;
		}
		if (error instanceof RateLimitException) {
			return ErrorCategory.RATE_LIMITED;
		}
		if (error instanceof TimeoutException) {
			return ErrorCategory.TIMEOUT;
		}
		if (error instanceof AuthenticationException) {
			return ErrorCategory.AUTH;
		}
		if (error instanceof InternalServerException) {
			return DefaultLlmErrorClassifier.ofMessage(error.getMessage(), ErrorCategory.SERVER_ERROR);
		}
		if (error instanceof InvalidRequestException || error instanceof ModelNotFoundException) {
			ErrorCategory fromText = DefaultLlmErrorClassifier.ofText(error.getMessage(), false);
			return (fromText != null) ? fromText : ErrorCategory.BAD_REQUEST;
		}
		if (error instanceof HttpException http) {
			return DefaultLlmErrorClassifier.ofStatus(http.statusCode(), http.getMessage());
		}
		return null;
	}

	private static boolean isA(Class<?> type, String className) {
		for (Class<?> candidate = type; candidate != null && candidate != Throwable.class; candidate = candidate
			.getSuperclass()) {
			if (candidate.getName().equals(className)) {
				return true;
			}
		}
		return false;
	}

}
