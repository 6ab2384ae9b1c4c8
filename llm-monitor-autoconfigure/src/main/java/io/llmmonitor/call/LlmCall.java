package io.llmmonitor.call;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import io.llmmonitor.call.internal.CallTimeouts;
import io.llmmonitor.call.internal.MonitoringFailures;
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

	private static final VarHandle CONTENT_CHUNKS;

	private static final VarHandle LAST_CONTENT_NANOS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			CONTENT_CHUNKS = lookup.findVarHandle(LlmCall.class, "contentChunks", long.class);
			LAST_CONTENT_NANOS = lookup.findVarHandle(LlmCall.class, "lastContentNanos", long.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Counts generated text when the provider may report no usage; {@code null} otherwise. */
	private @Nullable IncrementalTokenCount tokenCount;

	/** Counts streamed reasoning text when responses of its type report no usage; {@code null} otherwise. */
	private @Nullable IncrementalTokenCount reasoningCount;

	/** The start of the generated text, up to what content capture keeps; {@code null} when off. */
	private @Nullable StringBuilder capturedText;

	/** Whether generated text is read: for counting without usage, or for content capture. */
	private @Nullable Boolean keepText;

	/** Chunks with generated content, elements without an extractor included; see {@link #onElement}. */
	private volatile long contentChunks;

	/** When the last content chunk arrived, {@code -1} before the first. */
	private volatile long lastContentNanos = -1;

	/** Whether an extractor read an element: then no content means an empty answer. */
	private volatile boolean responseRead;

	/** Elements without an extractor: one token each. */
	private long nonTextElements;

	private @Nullable Long reportedOutputTokens;

	private int tokenEvents;

	/** The extractor of the last element's type: streams carry one type. */
	private @Nullable Class<?> lastElementType;

	private @Nullable LlmResponseExtractor<Object> lastExtractor;

	/** Joined calls started and not yet ended; guarded by this. */
	private int openJoined;

	/** The end that waits for the joined calls; guarded by this. */
	private @Nullable DeferredEnd deferredEnd;

	/** Whether the deferred end was released, so that {@link #end} now ends; guarded by this. */
	private boolean endReleased;

	/** The error of the last joined call to end, {@code null} when it succeeded; guarded by this. */
	private @Nullable Throwable lastJoinedError;

	/** What automatically monitored calls made inside this one saw; {@code null} when there were none. */
	private JoinedLlmCall.@Nullable Figures joined;

	LlmCall(LlmMonitor monitor, LlmCallContext context, Observation observation) {
		super(monitor.registry(), observation);
		this.monitor = monitor;
		this.context = context;
	}

	@Override
	public void markStream(boolean stream) {
		this.context.setStream(stream);
	}

	/**
	 * Reads one element. Elements arrive one at a time (Reactive Streams serialises them) but
	 * the call may end meanwhile on another thread (a cancel). Whatever the end reads is therefore
	 * written under the lock, except on the hot path of a stream: a content chunk after the first,
	 * that carries nothing else and whose text need not be kept. That one only bumps the chunk
	 * count and the time of the last chunk, with release stores the end reads back: no lock, no
	 * allocation.
	 */
	@Override
	public void onElement(@Nullable Object element) {
		if (element == null || hasEnded()) {
			return;
		}
		LlmResponseExtractor<Object> extractor = extractorFor(element.getClass());
		if (extractor == null) {
			// unknown content: in a stream, one token per element is the last resort; a single
			// result (an embedding, a DTO) counts none, as an unknown count is not 1
			if (this.context.isStream()) {
				onContent(null, element);
			}
			return;
		}
		if (!this.responseRead) {
			this.responseRead = true;
		}
		CharSequence text = ExtractedFields.content(extractor, element);
		CharSequence reasoning = ExtractedFields.reasoningContent(extractor, element);
		LlmUsage usage = ExtractedFields.usage(extractor, element);
		String responseModel = ExtractedFields.responseModel(extractor, element);
		String finishReason = ExtractedFields.finishReason(extractor, element);
		if (usage != null || responseModel != null || finishReason != null) {
			readMetadata(element, usage, responseModel, finishReason);
		}
		if (reasoning != null && reasoning.length() > 0) {
			onContentLocked(reasoning, element, this.context.isStream(), true);
		}
		if (text != null && text.length() > 0) {
			onContent(text, element);
		}
	}

	private @Nullable LlmResponseExtractor<Object> extractorFor(Class<?> type) {
		if (type != this.lastElementType) {
			this.lastExtractor = this.monitor.extractors().find(type);
			this.lastElementType = type;
		}
		return this.lastExtractor;
	}

	private synchronized void readMetadata(Object element, @Nullable LlmUsage usage, @Nullable String responseModel,
			@Nullable String finishReason) {
		if (hasEnded()) {
			return;
		}
		if (usage != null) {
			if (usage.inputTokens() != null) {
				this.context.setInputTokens(usage.inputTokens());
			}
			if (usage.outputTokens() != null) {
				this.reportedOutputTokens = usage.outputTokens();
				this.monitor.extractors().usageReported(element.getClass());
			}
			if (usage.reasoningTokens() != null) {
				this.context.setReasoningTokens(usage.reasoningTokens());
			}
			if (usage.cachedInputTokens() != null) {
				this.context.setCachedInputTokens(usage.cachedInputTokens());
			}
			if (usage.cacheCreationInputTokens() != null) {
				this.context.setCacheCreationInputTokens(usage.cacheCreationInputTokens());
			}
		}
		if (responseModel != null) {
			this.context.setResponseModel(responseModel);
		}
		if (finishReason != null) {
			this.context.addFinishReason(finishReason);
		}
	}

	/**
	 * A chunk of generated content: its text, or {@code null} for an element without an
	 * extractor, which counts as one token.
	 */
	private void onContent(@Nullable CharSequence text, Object element) {
		boolean stream = this.context.isStream();
		if (this.lastContentNanos >= 0 && !needsLock(text)) {
			long chunks = (long) CONTENT_CHUNKS.getOpaque(this);
			CONTENT_CHUNKS.setRelease(this, chunks + 1);
			if (stream) {
				LAST_CONTENT_NANOS.setRelease(this, this.monitor.clock().monotonicTime());
			}
			return;
		}
		onContentLocked(text, element, stream, false);
	}

	private boolean needsLock(@Nullable CharSequence text) {
		if (text == null) {
			return true;
		}
		if (this.keepText == null || this.keepText) {
			// undecided (only elements without text so far), or text to keep
			return true;
		}
		return tokenEventDue();
	}

	/** Whether the next content chunk becomes a span event: token events on, cap not reached. */
	private boolean tokenEventDue() {
		LlmMonitorSettings settings = this.monitor.settings();
		return settings.tokenEventsEnabled() && this.tokenEvents < settings.maxTokenEventsPerCall();
	}

	/**
	 * A content chunk, on the locked path: the first one, one whose text is kept, an element
	 * without text, or streamed reasoning (content that arrives, counted but never captured).
	 */
	private synchronized void onContentLocked(@Nullable CharSequence text, Object element, boolean stream,
			boolean reasoning) {
		if (hasEnded()) {
			return;
		}
		if (text == null) {
			this.nonTextElements++;
		}
		else if (reasoning) {
			this.context.markReasoningStreamed();
			if (!this.monitor.extractors().hasReportedUsage(element.getClass())) {
				this.reasoningCount = append(this.reasoningCount, text);
			}
		}
		else if (keepText(element)) {
			keep(text);
		}
		long now = stream ? this.monitor.clock().monotonicTime() : 0;
		if (stream && !this.context.hasFirstToken()) {
			this.context.addEvent(new LlmCallEvent(LlmCallEvent.FIRST_TOKEN, now));
			this.context.markContentChunk(now);
		}
		if (stream && tokenEventDue()) {
			this.tokenEvents++;
			this.context.addEvent(new LlmCallEvent(LlmCallEvent.CONTENT_CHUNK, now));
		}
		this.contentChunks = this.contentChunks + 1;
		this.lastContentNanos = now;
	}

	/**
	 * Decided at the first content chunk: text is counted unless responses of this type are known
	 * to report usage (then the count comes from the provider), and captured when content capture
	 * is on.
	 */
	private boolean keepText(Object element) {
		if (this.keepText == null) {
			boolean count = !this.monitor.extractors().hasReportedUsage(element.getClass());
			boolean capture = this.monitor.settings().contentCapture().isEnabled();
			this.tokenCount = count ? new IncrementalTokenCount() : null;
			this.capturedText = capture ? new StringBuilder(256) : null;
			this.keepText = count || capture;
		}
		return this.keepText;
	}

	/**
	 * Counts the text as it arrives and captures it up to the capture's limit, so that what a
	 * stream retains stays bounded however long it runs.
	 */
	private void keep(CharSequence text) {
		if (this.tokenCount != null) {
			this.tokenCount = append(this.tokenCount, text);
		}
		if (this.capturedText != null) {
			int room = this.monitor.settings().contentCapture().keptLength() - this.capturedText.length();
			if (room > 0) {
				this.capturedText.append(text, 0, Math.min(room, text.length()));
			}
		}
	}

	/**
	 * Counts the text into the count, made on first use; {@code null} (counted by chunks
	 * instead) when counting fails.
	 */
	private @Nullable IncrementalTokenCount append(@Nullable IncrementalTokenCount count, CharSequence text) {
		IncrementalTokenCount counting = (count != null) ? count : new IncrementalTokenCount();
		try {
			counting.append(text, this.monitor.tokenCounter(), this.context.getModel());
			return counting;
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("counting the tokens of an LLM call", ex);
			return null;
		}
	}

	/** Characters the kept text can hold now, for tests of long streams. */
	int keptTextCapacity() {
		return ((this.tokenCount != null) ? this.tokenCount.capacity() : 0)
				+ ((this.capturedText != null) ? this.capturedText.capacity() : 0);
	}

	/**
	 * Counts a call of an automatic integration that starts inside this one; this call then ends
	 * no sooner than that one (see {@link #deferEnd}).
	 * @return whether it joined: {@code false} once this call ended or its end is under way
	 */
	synchronized boolean joinStarted() {
		if (hasEnded() || this.endReleased) {
			return false;
		}
		this.openJoined++;
		return true;
	}

	/**
	 * Takes in what a call joined into this one saw, when it ends, and ends this call if its end
	 * waited for that one. A joined call that fails adds a {@link LlmCallEvent#JOINED_CALL_ERROR}
	 * event; when the last joined call to end failed, a call that would end as a success ends
	 * with its error (a stream consumed elsewhere failed after the method returned; a retry that
	 * succeeded last is a success).
	 */
	void join(JoinedLlmCall.Figures figures, CallStatus status, @Nullable Throwable error) {
		boolean release;
		synchronized (this) {
			if (hasEnded()) {
				return;
			}
			if (this.joined == null) {
				this.joined = new JoinedLlmCall.Figures();
			}
			this.joined.add(figures);
			boolean failed = status == CallStatus.ERROR;
			if (failed) {
				this.context.addEvent(new LlmCallEvent(LlmCallEvent.JOINED_CALL_ERROR,
						this.monitor.clock().monotonicTime()));
			}
			this.lastJoinedError = failed ? ((error != null) ? error : new IllegalStateException("joined call failed"))
					: null;
			this.openJoined = Math.max(0, this.openJoined - 1);
			release = this.openJoined == 0 && this.deferredEnd != null;
		}
		if (release) {
			releaseEnd();
		}
	}

	/**
	 * The method of this call returned (or failed) while calls joined into it still run (a stream
	 * started inside it and consumed elsewhere): its end waits for the last of them to hand over
	 * its tokens and first token, at most {@value CallTimeouts#WAIT_FACTOR} times the slow-request
	 * threshold, so that it can never stay in flight for good.
	 */
	@Override
	boolean deferEnd(CallStatus status, @Nullable Throwable error) {
		DeferredEnd deferred;
		synchronized (this) {
			if (this.endReleased || this.openJoined == 0 || hasEnded()) {
				return false;
			}
			if (this.deferredEnd != null) {
				// already waiting: the first end wins
				return true;
			}
			deferred = new DeferredEnd(status, error);
			this.deferredEnd = deferred;
		}
		try {
			CallTimeouts.Wait timeout = this.monitor.timeouts().schedule(this::releaseEnd,
					CallTimeouts.waitFor(this.monitor.settings().slowRequestThreshold()));
			deferred.timeout = timeout;
			synchronized (this) {
				if (this.deferredEnd != deferred) {
					// the last joined call ended before the wait was set up: nothing may keep this call
					CallTimeouts.cancel(timeout);
				}
			}
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("bounding the wait of an LLM call for the calls joined into it", ex);
			releaseEnd();
		}
		return true;
	}

	/** Ends this call as its deferred end said, once: when its joined calls ended, or when the wait ran out. */
	private void releaseEnd() {
		DeferredEnd due;
		Throwable joinedError;
		synchronized (this) {
			due = this.deferredEnd;
			if (due == null || this.endReleased) {
				return;
			}
			this.endReleased = true;
			this.deferredEnd = null;
			joinedError = this.lastJoinedError;
		}
		CallTimeouts.cancel(due.timeout);
		if (due.status == CallStatus.SUCCESS && joinedError != null) {
			end(CallStatus.ERROR, joinedError);
		}
		else {
			end(due.status, due.error);
		}
	}

	/** An end that waits for the calls joined into this one. */
	private static final class DeferredEnd {

		final CallStatus status;

		final @Nullable Throwable error;

		volatile CallTimeouts.@Nullable Wait timeout;

		DeferredEnd(CallStatus status, @Nullable Throwable error) {
			this.status = status;
			this.error = error;
		}

	}

	@Override
	synchronized void settle(CallStatus status, @Nullable Throwable error) {
		long now = this.monitor.clock().monotonicTime();
		if (this.context.hasFirstToken()) {
			this.context.markContentChunk(this.lastContentNanos);
		}
		// first, so that the observation carries its status even if counting fails below
		this.context.markEnded(now, status);
		if (this.joined != null) {
			settleJoined(this.joined);
		}
		this.monitor.settleTags(this.context, status, error);
		this.context.setContentChunks(this.contentChunks);
		if (this.responseRead || this.joined != null) {
			this.context.markResponseRead();
		}
		settleOutputTokens();
		settleCost();
		ContentCapture contentCapture = this.monitor.settings().contentCapture();
		if (contentCapture.isEnabled() && this.capturedText != null) {
			String completion = contentCapture.redact(this.capturedText.toString());
			this.context.setOutputText(completion);
			this.context.setOutputMessages(contentCapture.outputMessagesJson(completion, finishReason()));
		}
		detectSlowness(now);
	}

	/**
	 * Why generation stopped, for the captured output message: the provider's first reason, else
	 * {@code error} for a call that failed, else unknown.
	 */
	private @Nullable String finishReason() {
		if (!this.context.getFinishReasons().isEmpty()) {
			return this.context.getFinishReasons().get(0);
		}
		return (this.context.getStatus() == CallStatus.ERROR) ? "error" : null;
	}

	@Override
	void afterFailedStop() {
		this.context.deliverMissedStops();
	}

	@Override
	void afterStop() {
		if (!this.context.getSlowReasons().isEmpty()) {
			logSlowCall();
		}
	}

	/**
	 * What calls joined into this one saw stands in for what this call saw not: a method returning
	 * a {@code String} learns the provider's usage and its first token from the chat client inside.
	 */
	private void settleJoined(JoinedLlmCall.Figures joined) {
		if (this.context.getInputTokens() == null && joined.inputTokens != null) {
			this.context.setInputTokens(joined.inputTokens);
		}
		if (this.reportedOutputTokens == null) {
			this.reportedOutputTokens = joined.outputTokens;
		}
		if (this.context.getReasoningTokens() == null && joined.reasoningTokens != null) {
			this.context.setReasoningTokens(joined.reasoningTokens);
		}
		if (this.context.getCachedInputTokens() == null && joined.cachedInputTokens != null) {
			this.context.setCachedInputTokens(joined.cachedInputTokens);
		}
		if (this.context.getCacheCreationInputTokens() == null && joined.cacheCreationInputTokens != null) {
			this.context.setCacheCreationInputTokens(joined.cacheCreationInputTokens);
		}
		if (joined.reasoningStreamed) {
			this.context.markReasoningStreamed();
		}
		if (this.context.getResponseModel() == null) {
			this.context.setResponseModel(joined.responseModel);
		}
		if (this.context.getFinishReasons().isEmpty()) {
			joined.finishReasons.forEach(this.context::addFinishReason);
		}
		if (!this.context.hasFirstToken() && joined.firstContentNanos >= 0) {
			this.context.addEvent(new LlmCallEvent(LlmCallEvent.FIRST_TOKEN, joined.firstContentNanos));
			this.context.markContentChunk(joined.firstContentNanos);
			this.context.markContentChunk(joined.lastContentNanos);
		}
	}

	private void settleOutputTokens() {
		if (this.reportedOutputTokens != null) {
			this.context.setOutputTokens(this.reportedOutputTokens, TokenCountSource.PROVIDER);
		}
		else if (this.tokenCount != null || this.reasoningCount != null) {
			long counted = countTokens(this.tokenCount) + countTokens(this.reasoningCount);
			this.context.setOutputTokens(counted + this.nonTextElements, TokenCountSource.TOKENIZER);
		}
		else if (this.contentChunks > 0) {
			// text not kept (the provider usually reports usage) or non-text elements: one token each
			this.context.setOutputTokens(this.contentChunks, TokenCountSource.CHUNKS);
		}
	}

	private long countTokens(@Nullable IncrementalTokenCount count) {
		return (count != null) ? count.total(this.monitor.tokenCounter(), this.context.getModel()) : 0;
	}

	private void settleCost() {
		try {
			this.context.setCost(this.monitor.pricing()
				.costOf(this.context.getResponseModel(), this.context.getRequestModel(), this.context.getInputTokens(),
						this.context.getOutputTokens(), this.context.getCachedInputTokens(),
						this.context.getCacheCreationInputTokens()));
		}
		catch (RuntimeException ex) {
			MonitoringFailures.report("pricing an LLM call", ex);
		}
	}

	private void detectSlowness(long now) {
		LlmMonitorSettings settings = this.monitor.settings();
		Duration duration = Objects.requireNonNull(this.context.getDuration(), "an ended call has a duration");
		if (duration.compareTo(settings.slowRequestThreshold()) > 0) {
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
					Objects.requireNonNull(this.context.getDuration(), "an ended call has a duration").toNanos() / 1e9,
					settings.slowRequestThreshold().toNanos() / 1e9);
			case TOKEN_RATE -> String.format(Locale.ROOT, "generated %.1f tokens/s (threshold %.1f tokens/s)",
					this.context.getTokenGenerationRate(), settings.slowTokenRateThreshold());
		}).collect(Collectors.joining(" and "));
		logger.warn(String.format(Locale.ROOT, "Slow LLM call '%s' (provider %s, status %s): %s",
				observation().getContext().getContextualName(), this.context.getProvider(),
				Objects.requireNonNull(this.context.getStatus(), "an ended call has a status").tagValue(), reasons));
	}

}
