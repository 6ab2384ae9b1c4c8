/**
 * The sample application: an LLM chat service monitored by llm-monitor, against a simulated or a
 * real OpenAI-compatible model.
 */
@NullMarked
package io.llmmonitor.sample;

import org.jspecify.annotations.NullMarked;
