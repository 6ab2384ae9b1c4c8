/**
 * Why LLM calls fail: the bounded error category of a failed call, from HTTP status codes and the
 * exception types of the HTTP clients and LLM SDKs, with an SPI for the application's own.
 */
@NullMarked
package io.llmmonitor.error;

import org.jspecify.annotations.NullMarked;
