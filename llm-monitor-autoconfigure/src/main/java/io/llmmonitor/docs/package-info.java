/**
 * The documented names of llm-monitor's {@code llm_*} meters, each with its unit, type,
 * description and tag keys: the one source that the handlers, {@code /actuator/llm} and the
 * reference documentation use. Depends on Micrometer only.
 */
@NullMarked
package io.llmmonitor.docs;

import org.jspecify.annotations.NullMarked;
