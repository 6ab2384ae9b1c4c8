/**
 * LangChain4j without annotations: its chat model beans are proxied, their blocking calls read
 * from {@code ChatResponse}, their streams measured from the handler callbacks.
 */
@NullMarked
package io.llmmonitor.langchain4j;

import org.jspecify.annotations.NullMarked;
