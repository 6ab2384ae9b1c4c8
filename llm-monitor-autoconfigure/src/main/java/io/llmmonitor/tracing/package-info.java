/**
 * OpenTelemetry GenAI client spans of LLM calls, with typed attributes and timed events.
 */
@NullMarked
package io.llmmonitor.tracing;

import org.jspecify.annotations.NullMarked;
