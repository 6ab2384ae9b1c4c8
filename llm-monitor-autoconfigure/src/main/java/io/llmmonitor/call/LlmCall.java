package io.llmmonitor.call;

import java.util.Locale;
import java.util.stream.Collectors;

import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallEvent;
import io.llmmonitor.observation.SlowCallReason;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One LLM call in flight: reads each element through the extractors, marks content chunks on
 * the context, and at the end settles token counts and slowness before stopping the observation,
 * so that every handler sees the same final figures.
 */
final class LlmCall extends AbstractObservedCall {

	private static final Log logger = LogFactory.getLog(LlmMonitor.class);

	private final LlmMonitor monitor;

	private final LlmCallContext context;

	private @Nullable StringBuilder generatedText;

	/** Whether generated text is kept: for counting without usage, or for content capture. */
	private @Nullable Boolean keepText;

	private long contentChunks;

	private long nonTextElements;

	private @Nullable Long reportedOutputTokens;

	private int tokenEvents;

	LlmCall(LlmMonitor monitor, LlmCallContext context, Observation observation) {
		super(observation);
		this.monitor = monitor;
		this.context = context;
	}

	@Override
	public synchronized void onElement(@Nullable Object element) {
		if (element == null || hasEnded()) {
			return;
		}
		LlmResponseExtractor<Object> extractor = this.monitor.extractors().find(element.getClass());
		boolean content;
		if (extractor == null) {
			this.nonTextElements++;
			content = true;
		}
		else {
			content = read(extractor, element);
		}
		if (content && this.context.isStream()) {
			markContentChunk();
		}
	}

	private boolean read(LlmResponseExtractor<Object> extractor, Object element) {
		try {
			CharSequence text = extractor.content(element);
			LlmUsage usage = extractor.usage(element);
			if (usage != null) {
				if (usage.inputTokens() != null) {
					this.context.setInputTokens(usage.inputTokens());
				}
				if (usage.outputTokens() != null) {
					this.reportedOutputTokens = usage.outputTokens();
					this.monitor.extractors().usageReported(element.getClass());
				}
			}
			String responseModel = extractor.responseModel(element);
			if (responseModel != null) {
				this.context.setResponseModel(responseModel);
			}
			String finishReason = extractor.finishReason(element);
			if (finishReason != null) {
				this.context.addFinishReason(finishReason);
			}
			if (text == null || text.length() == 0) {
				return false;
			}
			this.contentChunks++;
			if (keepText(element)) {
				if (this.generatedText == null) {
					this.generatedText = new StringBuilder(Math.max(256, text.length()));
				}
				this.generatedText.append(text);
			}
			return true;
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("reading a response with " + extractor.getClass().getName(), ex);
			return false;
		}
	}

	/**
	 * Decided at the first content chunk: text is kept unless responses of this type are known to
	 * report usage (then the count comes from the provider) and content capture is off.
	 */
	private boolean keepText(Object element) {
		if (this.keepText == null) {
			this.keepText = this.monitor.settings().contentCapture().isEnabled()
					|| !this.monitor.extractors().hasReportedUsage(element.getClass());
		}
		return this.keepText;
	}

	private void markContentChunk() {
		long now = this.monitor.clock().monotonicTime();
		if (!this.context.hasFirstToken()) {
			this.context.addEvent(new LlmCallEvent(LlmCallEvent.FIRST_TOKEN, now));
		}
		this.context.markContentChunk(now);
		LlmMonitorSettings settings = this.monitor.settings();
		if (settings.tokenEventsEnabled() && this.tokenEvents < settings.maxTokenEventsPerCall()) {
			this.tokenEvents++;
			this.context.addEvent(new LlmCallEvent(LlmCallEvent.CONTENT_CHUNK, now));
		}
	}

	@Override
	synchronized void settle(CallStatus status) {
		long now = this.monitor.clock().monotonicTime();
		// first, so that the observation carries its status even if counting fails below
		this.context.markEnded(now, status);
		if (this.context.getRequestModel().isEmpty() && this.context.getResponseModel() != null) {
			this.context.setModelTag(this.monitor.modelGuard().tagFor(this.context.getModel()));
		}
		settleOutputTokens();
		ContentCapture contentCapture = this.monitor.settings().contentCapture();
		if (contentCapture.isEnabled() && this.generatedText != null) {
			this.context.setOutputMessages(contentCapture.messagesJson("assistant", this.generatedText.toString()));
		}
		detectSlowness(now);
	}

	@Override
	void afterStop() {
		if (!this.context.getSlowReasons().isEmpty()) {
			logSlowCall();
		}
	}

	private void settleOutputTokens() {
		if (this.reportedOutputTokens != null) {
			this.context.setOutputTokens(this.reportedOutputTokens, TokenCountSource.PROVIDER);
		}
		else if (this.generatedText != null) {
			long counted = this.monitor.tokenCounter().countTokens(this.context.getModel(), this.generatedText.toString());
			this.context.setOutputTokens(counted + this.nonTextElements, TokenCountSource.TOKENIZER);
		}
		else if (this.contentChunks + this.nonTextElements > 0) {
			// text not kept (the provider usually reports usage) or non-text elements: one token each
			this.context.setOutputTokens(this.contentChunks + this.nonTextElements, TokenCountSource.CHUNKS);
		}
	}

	private void detectSlowness(long now) {
		LlmMonitorSettings settings = this.monitor.settings();
		if (this.context.getDuration().compareTo(settings.slowRequestThreshold()) > 0) {
			this.context.addSlowReason(SlowCallReason.LATENCY);
		}
		double tokenRate = this.context.getTokenGenerationRate();
		if (this.context.isStream() && tokenRate < settings.slowTokenRateThreshold()) {
			this.context.addSlowReason(SlowCallReason.TOKEN_RATE);
		}
		if (!this.context.getSlowReasons().isEmpty()) {
			this.context.addEvent(new LlmCallEvent(LlmCallEvent.SLOW_CALL, now));
		}
	}

	private void logSlowCall() {
		LlmMonitorSettings settings = this.monitor.settings();
		String reasons = this.context.getSlowReasons().stream().map((reason) -> switch (reason) {
			case LATENCY -> String.format(Locale.ROOT, "took %.3f s (threshold %.3f s)",
					this.context.getDuration().toNanos() / 1e9, settings.slowRequestThreshold().toNanos() / 1e9);
			case TOKEN_RATE -> String.format(Locale.ROOT, "generated %.1f tokens/s (threshold %.1f tokens/s)",
					this.context.getTokenGenerationRate(), settings.slowTokenRateThreshold());
		}).collect(Collectors.joining(" and "));
		logger.warn(String.format(Locale.ROOT, "Slow LLM call '%s' (provider %s, status %s): %s",
				observation().getContext().getContextualName(), this.context.getProvider(),
				this.context.getStatus().tagValue(), reasons));
	}

}
