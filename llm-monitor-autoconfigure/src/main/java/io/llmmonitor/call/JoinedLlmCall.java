package io.llmmonitor.call;

import java.util.ArrayList;
import java.util.List;

import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * An automatically monitored call (see {@link LlmMonitor#automaticStarter}) made inside an LLM call
 * already in progress: the same call, not a second one. It starts no observation; what it reads
 * from its responses is handed to the enclosing call when it ends, which uses it where it saw
 * nothing of its own. The enclosing call waits for it: it ends when its method returned and every
 * call joined into it ended (see {@link LlmCall#joinStarted}).
 */
final class JoinedLlmCall implements ObservedCall {

	private final LlmMonitor monitor;

	private final LlmCall enclosing;

	/** Whether this call is a stream: only then does its content carry a first token. */
	private final boolean stream;

	private final Figures figures = new Figures();

	private boolean ended;

	JoinedLlmCall(LlmMonitor monitor, LlmCall enclosing, boolean stream) {
		this.monitor = monitor;
		this.enclosing = enclosing;
		this.stream = stream;
	}

	/** No observation of its own: the enclosing call's stays current. */
	@Override
	public Observation observation() {
		return Observation.NOOP;
	}

	@Override
	public void onElement(@Nullable Object element) {
		if (element == null) {
			return;
		}
		LlmResponseExtractor<Object> extractor = this.monitor.extractors().find(element.getClass());
		if (extractor == null) {
			return;
		}
		CharSequence text = ExtractedFields.content(extractor, element);
		CharSequence reasoning = ExtractedFields.reasoningContent(extractor, element);
		LlmUsage usage = ExtractedFields.usage(extractor, element);
		String responseModel = ExtractedFields.responseModel(extractor, element);
		String finishReason = ExtractedFields.finishReason(extractor, element);
		boolean reasoningArrived = reasoning != null && reasoning.length() > 0;
		boolean contentArrived = reasoningArrived || (text != null && text.length() > 0);
		long now = (this.stream && contentArrived) ? this.monitor.clock().monotonicTime() : -1;
		synchronized (this) {
			if (!this.ended) {
				this.figures.read(usage, responseModel, finishReason, now);
				this.figures.reasoningStreamed |= reasoningArrived;
			}
		}
	}

	@Override
	public void end(CallStatus status, @Nullable Throwable error) {
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
		}
		// the enclosing call records the error: it is the same call, though the error may never
		// reach its method (a stream consumed elsewhere)
		this.enclosing.join(this.figures, status, error);
	}

	/**
	 * What joined calls saw: the last usage, response model and finish reasons each reported, and
	 * when content first and last arrived. Summed over several joined calls (a tool loop calls the
	 * model more than once within one monitored call).
	 */
	static final class Figures {

		@Nullable Long inputTokens;

		@Nullable Long outputTokens;

		@Nullable Long reasoningTokens;

		@Nullable Long cachedInputTokens;

		@Nullable Long cacheCreationInputTokens;

		/** Whether reasoning text arrived in a stream (then reasoning tokens are timed tokens). */
		boolean reasoningStreamed;

		@Nullable String responseModel;

		final List<String> finishReasons = new ArrayList<>(1);

		long firstContentNanos = -1;

		long lastContentNanos = -1;

		void read(@Nullable LlmUsage usage, @Nullable String responseModel, @Nullable String finishReason,
				long contentNanos) {
			if (usage != null) {
				this.inputTokens = (usage.inputTokens() != null) ? usage.inputTokens() : this.inputTokens;
				this.outputTokens = (usage.outputTokens() != null) ? usage.outputTokens() : this.outputTokens;
				this.reasoningTokens = (usage.reasoningTokens() != null) ? usage.reasoningTokens()
						: this.reasoningTokens;
				this.cachedInputTokens = (usage.cachedInputTokens() != null) ? usage.cachedInputTokens()
						: this.cachedInputTokens;
				this.cacheCreationInputTokens = (usage.cacheCreationInputTokens() != null)
						? usage.cacheCreationInputTokens() : this.cacheCreationInputTokens;
			}
			this.responseModel = (responseModel != null) ? responseModel : this.responseModel;
			if (finishReason != null && !this.finishReasons.contains(finishReason)) {
				this.finishReasons.add(finishReason);
			}
			if (contentNanos >= 0) {
				this.firstContentNanos = (this.firstContentNanos < 0) ? contentNanos : this.firstContentNanos;
				this.lastContentNanos = contentNanos;
			}
		}

		void add(Figures other) {
			this.inputTokens = sum(this.inputTokens, other.inputTokens);
			this.outputTokens = sum(this.outputTokens, other.outputTokens);
			this.reasoningTokens = sum(this.reasoningTokens, other.reasoningTokens);
			this.cachedInputTokens = sum(this.cachedInputTokens, other.cachedInputTokens);
			this.cacheCreationInputTokens = sum(this.cacheCreationInputTokens, other.cacheCreationInputTokens);
			this.reasoningStreamed |= other.reasoningStreamed;
			this.responseModel = (other.responseModel != null) ? other.responseModel : this.responseModel;
			for (String finishReason : other.finishReasons) {
				read(null, null, finishReason, -1);
			}
			if (other.firstContentNanos >= 0) {
				read(null, null, null, other.firstContentNanos);
				read(null, null, null, other.lastContentNanos);
			}
		}

		private static @Nullable Long sum(@Nullable Long a, @Nullable Long b) {
			return (a == null) ? b : (b == null) ? a : Long.valueOf(a + b);
		}

	}

}
