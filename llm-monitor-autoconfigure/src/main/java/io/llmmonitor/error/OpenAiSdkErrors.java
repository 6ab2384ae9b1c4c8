package io.llmmonitor.error;

import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI Java SDK's exceptions; loaded only when the SDK is on the class path.
 */
final class OpenAiSdkErrors {

	private OpenAiSdkErrors() {
	}

	static @Nullable ErrorCategory categoryOf(Throwable error) {
		if (error instanceof OpenAIServiceException service) {
			String text = service.code().orElse("") + " " + service.type().orElse("") + " " + service.getMessage();
			return DefaultLlmErrorClassifier.ofStatus(service.statusCode(), text);
		}
		if (error instanceof OpenAIIoException) {
			return ErrorCategory.NETWORK;
		}
		return null;
	}

}
