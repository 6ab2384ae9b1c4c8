package io.llmmonitor.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * The complete response that ends a LangChain4j stream: read for usage, model and finish reason
 * only, as its text was already counted chunk by chunk.
 *
 * @param response the response given to {@code onCompleteResponse}
 */
public record CompletedStream(ChatResponse response) {

}
