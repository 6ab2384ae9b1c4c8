/**
 * A simulated OpenAI-compatible model server with per-model speeds, errors and slow answers, so
 * that every panel and alert has something to show.
 */
@NullMarked
package io.llmmonitor.sample.simulator;

import org.jspecify.annotations.NullMarked;
