/**
 * Steady mixed demo traffic that the sample sends to its own chat API, so that every trace and
 * metric exists.
 */
@NullMarked
package io.llmmonitor.sample.demo;

import org.jspecify.annotations.NullMarked;
