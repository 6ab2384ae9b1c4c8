package io.llmmonitor.reactive;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Programmatic API for reactive LLM calls that cannot be annotated:
 *
 * <pre class="code">
 * Flux&lt;String&gt; tokens = reactiveLlmMonitor.stream(LlmCallSpec.chat("gpt-4o", "openai"), client.stream(prompt));
 * </pre>
 *
 * Each subscription is one call, measured from subscription to completion, error or cancel.
 */
public class ReactiveLlmMonitor {

	private final LlmMonitor llmMonitor;

	public ReactiveLlmMonitor(LlmMonitor llmMonitor) {
		this.llmMonitor = llmMonitor;
	}

	/** Monitors a token stream: time to first token, time per output token, tokens/s, tokens. */
	public <T> Flux<T> stream(LlmCallSpec spec, Flux<T> stream) {
		return ReactorReturnValueObserver.observeFlux(stream, this.llmMonitor.starter(spec.withStream(true)),
				this.llmMonitor.registry().getCurrentObservation());
	}

	/** Monitors a single-result call; its result is read for usage. */
	public <T> Mono<T> call(LlmCallSpec spec, Mono<T> call) {
		return ReactorReturnValueObserver.observeMono(call, this.llmMonitor.starter(spec.withStream(false)),
				this.llmMonitor.registry().getCurrentObservation());
	}

}
