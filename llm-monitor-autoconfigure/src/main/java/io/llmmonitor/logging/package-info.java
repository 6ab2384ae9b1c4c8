/**
 * One logfmt log line per finished LLM call, with the trace and span id of its span.
 */
@NullMarked
package io.llmmonitor.logging;

import org.jspecify.annotations.NullMarked;
