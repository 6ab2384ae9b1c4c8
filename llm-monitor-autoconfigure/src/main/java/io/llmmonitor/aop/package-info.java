/**
 * The Spring AOP aspect that turns annotated methods into monitored LLM calls and endpoints.
 */
@NullMarked
package io.llmmonitor.aop;

import org.jspecify.annotations.NullMarked;
