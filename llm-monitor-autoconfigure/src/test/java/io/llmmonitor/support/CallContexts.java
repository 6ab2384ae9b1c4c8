package io.llmmonitor.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** An observation handler bean that keeps the LLM calls that ended, for tests in a Spring context. */
public final class CallContexts implements ObservationHandler<LlmCallContext> {

	private final List<LlmCallContext> contexts = new CopyOnWriteArrayList<>();

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStop(LlmCallContext context) {
		this.contexts.add(context);
	}

	/** The one LLM call that ended. */
	public LlmCallContext only() {
		assertThat(this.contexts).hasSize(1);
		return this.contexts.get(0);
	}

}
