package io.llmmonitor.error;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's exceptions ({@code dev.langchain4j.exception}); loaded only when LangChain4j is on
 * the class path.
 */
final class LangChain4jErrors {

	private LangChain4jErrors() {
	}

	static @Nullable ErrorCategory categoryOf(Throwable error) {
		if (error instanceof ContentFilteredException) {
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

}
