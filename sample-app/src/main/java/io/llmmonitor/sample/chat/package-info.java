/**
 * The sample's chat and feedback HTTP API, monitored with {@code @MonitoredEndpoint} and
 * {@code @MonitoredLlmCall}.
 */
@NullMarked
package io.llmmonitor.sample.chat;

import org.jspecify.annotations.NullMarked;
