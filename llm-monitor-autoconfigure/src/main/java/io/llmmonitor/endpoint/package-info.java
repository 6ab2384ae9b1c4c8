/**
 * The {@code /actuator/llm} endpoint: a summary of the LLM calls read from the meter registry.
 */
@NullMarked
package io.llmmonitor.endpoint;

import org.jspecify.annotations.NullMarked;
