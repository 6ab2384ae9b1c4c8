/**
 * Token usage of a call: what the provider reports, read by response extractors, or counted locally
 * when it reports none.
 */
@NullMarked
package io.llmmonitor.usage;

import org.jspecify.annotations.NullMarked;
