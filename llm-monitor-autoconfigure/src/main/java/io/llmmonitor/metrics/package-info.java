/**
 * The {@code llm_*} meters that the observation timer cannot express, their histogram buckets and
 * descriptions, and the OpenTelemetry GenAI metrics.
 */
@NullMarked
package io.llmmonitor.metrics;

import org.jspecify.annotations.NullMarked;
