/**
 * The sample's OpenAI-compatible chat client over Spring's observed {@code WebClient}, and its
 * {@code sample.llm.*} properties.
 */
@NullMarked
package io.llmmonitor.sample.client;

import org.jspecify.annotations.NullMarked;
