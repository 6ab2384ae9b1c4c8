package io.llmmonitor.langchain4j;

/**
 * One partial response of a LangChain4j stream, as the stream's accounting sees it: visible text
 * ({@code onPartialResponse}) or thinking ({@code onPartialThinking}), each counted once, as
 * content that arrived in the timing window. Typed apart from the {@link CompletedStream} that
 * ends the stream (read for usage only) and from any {@code String} stream of the application,
 * so that one's figures never mix with the other's.
 *
 * @param text the partial text
 * @param thinking whether it is thinking (reasoning) rather than the answer
 */
public record PartialContent(String text, boolean thinking) {

}
