package io.llmmonitor.call;

import io.llmmonitor.feedback.FeedbackHandle;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallEvent;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;

/**
 * The LLM call in progress, seen from code running inside it.
 */
public final class CurrentLlmCall {

	private final Observation observation;

	private final LlmCallContext context;

	private final Clock clock;

	private final ContentCapture contentCapture;

	CurrentLlmCall(Observation observation, LlmCallContext context, Clock clock, ContentCapture contentCapture) {
		this.observation = observation;
		this.context = context;
		this.clock = clock;
		this.contentCapture = contentCapture;
	}

	/** Adds a span event, timestamped now. */
	public CurrentLlmCall event(String name) {
		this.context.addEvent(new LlmCallEvent(name, this.clock.monotonicTime()));
		return this;
	}

	/** Adds a span attribute (never a metric tag: values may be high-cardinality). */
	public CurrentLlmCall attribute(String key, String value) {
		this.observation.highCardinalityKeyValue(key, value);
		return this;
	}

	/**
	 * Records the prompt as {@code gen_ai.input.messages}, secrets redacted, when
	 * {@code llm.monitor.capture-content.enabled=true}; does nothing otherwise.
	 */
	public CurrentLlmCall prompt(String prompt) {
		if (this.contentCapture.isEnabled()) {
			this.context.setInputMessages(this.contentCapture.messagesJson("user", prompt));
		}
		return this;
	}

	/**
	 * A handle to rate this call's answer later with {@code LlmFeedback}: its trace and span id
	 * (with tracing), model and provider. Take it once the call knows its model (the requested
	 * one, or the response's): a model still unknown is looked up by trace id when the feedback
	 * comes.
	 */
	public FeedbackHandle handle() {
		return FeedbackHandle.of(this.context);
	}

	/** What has been measured so far. */
	public LlmCallContext context() {
		return this.context;
	}

}
