/**
 * Internals of llm-monitor, not API: the machinery that observes a monitored invocation until its
 * work is done, made public only so that the other packages of llm-monitor can use it. Anything here
 * may change or go away in any release, without notice.
 */
@NullMarked
package io.llmmonitor.call.internal;

import org.jspecify.annotations.NullMarked;
