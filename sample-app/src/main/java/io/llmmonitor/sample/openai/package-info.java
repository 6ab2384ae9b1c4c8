/**
 * The OpenAI chat completions wire format that the sample speaks, and the response extractors
 * that tell llm-monitor how to read it.
 */
@NullMarked
package io.llmmonitor.sample.openai;

import org.jspecify.annotations.NullMarked;
