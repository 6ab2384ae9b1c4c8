/**
 * Spring Boot auto-configuration of llm-monitor and its {@code llm.monitor.*} properties.
 */
@NullMarked
package io.llmmonitor.autoconfigure;

import org.jspecify.annotations.NullMarked;
