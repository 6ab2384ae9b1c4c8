/**
 * Monitoring of Reactor {@code Mono} and {@code Flux} returns: a subscription is one call, a
 * {@code Flux} a token stream.
 */
@NullMarked
package io.llmmonitor.reactive;

import org.jspecify.annotations.NullMarked;
