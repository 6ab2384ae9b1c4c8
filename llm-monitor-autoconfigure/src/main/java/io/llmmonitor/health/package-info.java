/**
 * The {@code llm} health indicator: whether the application still gets answers from its models.
 */
@NullMarked
package io.llmmonitor.health;

import org.jspecify.annotations.NullMarked;
