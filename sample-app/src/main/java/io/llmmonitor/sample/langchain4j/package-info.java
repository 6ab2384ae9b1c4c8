/**
 * The sample's LangChain4j chat models and endpoint, monitored without annotations.
 */
@NullMarked
package io.llmmonitor.sample.langchain4j;

import org.jspecify.annotations.NullMarked;
