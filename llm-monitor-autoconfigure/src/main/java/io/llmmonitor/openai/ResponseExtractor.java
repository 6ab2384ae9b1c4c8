package io.llmmonitor.openai;

import com.openai.models.responses.Response;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * Reads a Responses API {@link Response} of the OpenAI Java SDK: usage, model and finish reason
 * (the reason it is incomplete, else its status). Its text is not read: the Responses API always
 * reports usage.
 */
public class ResponseExtractor implements LlmResponseExtractor<Response> {

	@Override
	public Class<Response> responseType() {
		return Response.class;
	}

	@Override
	public @Nullable CharSequence content(Response response) {
		return null;
	}

	@Override
	public @Nullable LlmUsage usage(Response response) {
		return OpenAiFields.usage(response);
	}

	@Override
	public @Nullable String responseModel(Response response) {
		return OpenAiFields.text(OpenAiFields.model(response));
	}

	@Override
	public @Nullable String finishReason(Response response) {
		return OpenAiFields.finishReason(response);
	}

}
