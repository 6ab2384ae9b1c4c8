/**
 * The annotations that mark what to monitor: {@code @MonitoredLlmCall} on a method that calls an
 * LLM, {@code @MonitoredEndpoint} on a handler that serves one.
 */
@NullMarked
package io.llmmonitor.annotation;

import org.jspecify.annotations.NullMarked;
