/**
 * The programmatic API of LLM calls ({@code LlmMonitor}, {@code LlmCallSpec},
 * {@code CurrentLlmCall}) and the machinery that observes a call from start to end.
 */
@NullMarked
package io.llmmonitor.call;

import org.jspecify.annotations.NullMarked;
