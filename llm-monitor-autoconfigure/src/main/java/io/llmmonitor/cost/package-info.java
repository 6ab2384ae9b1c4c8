/**
 * What LLM calls cost: the price table, the price of each call and the budget gauges.
 */
@NullMarked
package io.llmmonitor.cost;

import org.jspecify.annotations.NullMarked;
