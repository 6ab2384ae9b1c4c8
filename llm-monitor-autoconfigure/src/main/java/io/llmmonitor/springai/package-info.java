/**
 * Spring AI without annotations: its chat model beans and {@code ChatClient} calls are monitored,
 * their responses read from {@code ChatResponse}.
 */
@NullMarked
package io.llmmonitor.springai;

import org.jspecify.annotations.NullMarked;
