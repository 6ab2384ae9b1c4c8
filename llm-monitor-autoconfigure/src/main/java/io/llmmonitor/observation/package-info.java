/**
 * The Micrometer observations of LLM calls and endpoints: their contexts, documented keys,
 * conventions and events.
 */
@NullMarked
package io.llmmonitor.observation;

import org.jspecify.annotations.NullMarked;
