package io.llmmonitor.feedback;

import io.llmmonitor.call.ContentCapture;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

/**
 * Records feedback as a span {@code llm feedback}, linked to the span of the call it rates (an
 * OpenTelemetry span link), a child of the current span (the request that sent the feedback).
 * Attributes: {@code llm.feedback.score}, {@code llm.feedback.trace_id} (the rated call's trace,
 * searchable), {@code gen_ai.request.model}, {@code gen_ai.provider.name} and, with a comment,
 * {@code llm.feedback.comment.length}; the comment's text ({@code llm.feedback.comment}) only
 * when content capture is on, redacted.
 */
public class TracingFeedbackSpans implements FeedbackSpans {

	/** The name of the feedback span. */
	public static final String SPAN_NAME = "llm feedback";

	private final Tracer tracer;

	private final ContentCapture contentCapture;

	public TracingFeedbackSpans(Tracer tracer, ContentCapture contentCapture) {
		this.tracer = tracer;
		this.contentCapture = contentCapture;
	}

	@Override
	public void record(FeedbackHandle call, Feedback feedback) {
		Span.Builder builder = this.tracer.spanBuilder().name(SPAN_NAME);
		Span current = this.tracer.currentSpan();
		if (current != null) {
			builder.setParent(current.context());
		}
		if (call.traceId() != null && call.spanId() != null) {
			TraceContext rated = this.tracer.traceContextBuilder()
				.traceId(call.traceId())
				.spanId(call.spanId())
				.sampled(true)
				.build();
			builder.addLink(new Link(rated));
		}
		Span span = builder.start();
		try {
			span.tag("llm.feedback.score", feedback.score());
			if (call.traceId() != null) {
				span.tag("llm.feedback.trace_id", call.traceId());
			}
			span.tag("gen_ai.request.model", call.model());
			span.tag("gen_ai.provider.name", call.provider());
			String comment = feedback.comment();
			if (comment != null) {
				span.tag("llm.feedback.comment.length", comment.length());
				if (this.contentCapture.isEnabled()) {
					span.tag("llm.feedback.comment", this.contentCapture.redact(comment));
				}
			}
		}
		finally {
			span.end();
		}
	}

}
