/**
 * The official OpenAI Java SDK: extractors of its chat completion and Responses API types.
 */
@NullMarked
package io.llmmonitor.openai;

import org.jspecify.annotations.NullMarked;
