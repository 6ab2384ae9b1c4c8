package io.llmmonitor.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.llmmonitor.cost.CallCost;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * Observation context of one LLM call: what was asked for, and what was measured. A
 * {@link SenderContext} of kind {@link Kind#CLIENT}, so that tracing makes a CLIENT span of it.
 * <p>
 * Timestamps are nanoseconds of the monitor's monotonic clock; derived figures (time to first
 * token, time per output token, token rate) are computed from them.
 * <p>
 * Its events and the handlers awaiting its stop are guarded by the context's own lock: do not
 * hold it (do not synchronize on a context) while waiting for anything.
 */
public class LlmCallContext extends SenderContext<Object> {

	private final String requestModel;

	private final String provider;

	private final String operation;

	private volatile boolean stream;

	private long startNanos;

	private long startWallTimeMillis;

	private long firstTokenNanos = -1;

	private long lastTokenNanos = -1;

	private long endNanos = -1;

	private long contentChunks;

	private @Nullable Long inputTokens;

	private @Nullable Long outputTokens;

	private @Nullable TokenCountSource outputTokensSource;

	private @Nullable Long reasoningTokens;

	private boolean reasoningStreamed;

	private @Nullable Long cachedInputTokens;

	private @Nullable Long cacheCreationInputTokens;

	private @Nullable String responseModel;

	private @Nullable CallCost cost;

	private @Nullable String modelTag;

	private @Nullable String providerTag;

	private @Nullable String operationTag;

	private @Nullable String errorTypeTag;

	private @Nullable String errorCategory;

	private @Nullable String inputMessages;

	private @Nullable String outputMessages;

	private @Nullable String outputText;

	private boolean responseRead;

	/** Made on the first reason: most calls have one, a disabled call none. */
	private @Nullable List<String> finishReasons;

	private @Nullable CallStatus status;

	/** Made on the first slow reason: most calls have none. */
	private @Nullable Set<SlowCallReason> slowReasons;

	/** Made on the first event, under this context's lock: most calls have none. */
	private @Nullable List<LlmCallEvent> events;

	/**
	 * Handlers of llm-monitor that started and have not heard of the stop yet; made on the first,
	 * under this context's lock (a call disabled by a predicate never starts one).
	 */
	private @Nullable List<ObservationHandler<LlmCallContext>> awaitingStop;

	public LlmCallContext(String requestModel, String provider, String operation, boolean stream) {
		super((carrier, key, value) -> {
		}, Kind.CLIENT);
		this.requestModel = requestModel;
		this.provider = provider;
		this.operation = operation;
		this.stream = stream;
	}

	/** Requested model; empty when the caller did not name one. */
	public String getRequestModel() {
		return this.requestModel;
	}

	/** The model to report: the requested one, else the one the response named, else "unknown". */
	public String getModel() {
		if (!this.requestModel.isEmpty()) {
			return this.requestModel;
		}
		return (this.responseModel != null) ? this.responseModel : "unknown";
	}

	/**
	 * The model as a metric tag: {@link #getModel()}, unless the number of distinct models exceeded
	 * the configured limit, then {@code other}.
	 */
	public String getModelTag() {
		return (this.modelTag != null) ? this.modelTag : getModel();
	}

	public void setModelTag(String modelTag) {
		this.modelTag = modelTag;
	}

	/**
	 * The provider as a metric tag: {@link #getProvider()}, or {@code other} past
	 * {@code llm.monitor.max-providers}.
	 */
	public String getProviderTag() {
		return (this.providerTag != null) ? this.providerTag : this.provider;
	}

	public void setProviderTag(String providerTag) {
		this.providerTag = providerTag;
	}

	/**
	 * The operation as a metric tag: {@link #getOperation()}, or {@code other} past
	 * {@code llm.monitor.max-operations}.
	 */
	public String getOperationTag() {
		return (this.operationTag != null) ? this.operationTag : this.operation;
	}

	public void setOperationTag(String operationTag) {
		this.operationTag = operationTag;
	}

	/**
	 * The error type as a metric tag: the simple class name of the error ({@code none} without
	 * one), or {@code other} past {@code llm.monitor.max-error-types}.
	 */
	public String getErrorTypeTag() {
		return (this.errorTypeTag != null) ? this.errorTypeTag
				: DefaultLlmCallObservationConvention.errorType(getError());
	}

	public void setErrorTypeTag(String errorTypeTag) {
		this.errorTypeTag = errorTypeTag;
	}

	/**
	 * Why the call failed, one of the fixed values of {@code io.llmmonitor.error.ErrorCategory}
	 * ({@code rate_limited}, {@code timeout}, ...); {@code null} for a call that did not fail.
	 */
	public @Nullable String getErrorCategory() {
		return this.errorCategory;
	}

	public void setErrorCategory(@Nullable String errorCategory) {
		this.errorCategory = errorCategory;
	}

	public String getProvider() {
		return this.provider;
	}

	public String getOperation() {
		return this.operation;
	}

	/** Whether the call returns a token stream. */
	public boolean isStream() {
		return this.stream;
	}

	/**
	 * Sets whether the call returns a token stream, when that is known only once the monitored
	 * method returned; before any element arrives.
	 */
	public void setStream(boolean stream) {
		this.stream = stream;
	}

	public void markStarted(long monotonicNanos, long wallTimeMillis) {
		this.startNanos = monotonicNanos;
		this.startWallTimeMillis = wallTimeMillis;
	}

	public long getStartNanos() {
		return this.startNanos;
	}

	public long getStartWallTimeMillis() {
		return this.startWallTimeMillis;
	}

	/** Records a chunk carrying generated content; the first one fixes the time to first token. */
	public void markContentChunk(long monotonicNanos) {
		if (this.firstTokenNanos < 0) {
			this.firstTokenNanos = monotonicNanos;
		}
		this.lastTokenNanos = monotonicNanos;
	}

	/**
	 * Chunks that carried generated content (the whole result counts as one), known once the call
	 * ended.
	 */
	public long getContentChunks() {
		return this.contentChunks;
	}

	public void setContentChunks(long contentChunks) {
		this.contentChunks = contentChunks;
	}

	/**
	 * Mean gap between content chunks after the first, in nanoseconds: {@code (last - first) /
	 * (chunks - 1)}; {@code NaN} when fewer than two chunks arrived.
	 */
	public double getTimePerOutputChunkNanos() {
		if (!hasFirstToken() || this.contentChunks < 2) {
			return Double.NaN;
		}
		return (double) (this.lastTokenNanos - this.firstTokenNanos) / (this.contentChunks - 1);
	}

	public boolean hasFirstToken() {
		return this.firstTokenNanos >= 0;
	}

	public void markEnded(long monotonicNanos, CallStatus status) {
		this.endNanos = monotonicNanos;
		this.status = status;
	}

	public @Nullable CallStatus getStatus() {
		return this.status;
	}

	/** Whole call, start to end; {@code null} while running. */
	public @Nullable Duration getDuration() {
		return (this.endNanos < 0) ? null : Duration.ofNanos(this.endNanos - this.startNanos);
	}

	/** Start to first content chunk; {@code null} when none arrived. */
	public @Nullable Duration getTimeToFirstToken() {
		return hasFirstToken() ? Duration.ofNanos(this.firstTokenNanos - this.startNanos) : null;
	}

	/**
	 * Mean gap between output tokens after the first: {@code (last - first) / (tokens - 1)} over
	 * the {@linkplain #getTimedOutputTokens() tokens that arrived}; {@code NaN} when fewer than two
	 * tokens were seen or they arrived at one instant.
	 */
	public double getTimePerOutputTokenNanos() {
		long decodeNanos = decodeNanos();
		return (decodeNanos > 0) ? (double) decodeNanos / (getTimedOutputTokens() - 1) : Double.NaN;
	}

	/**
	 * Output tokens per second after the first token (time to first token excluded), over the
	 * {@linkplain #getTimedOutputTokens() tokens that arrived}; {@code NaN} when unknown.
	 */
	public double getTokenGenerationRate() {
		long decodeNanos = decodeNanos();
		return (decodeNanos > 0) ? (getTimedOutputTokens() - 1) * 1e9 / decodeNanos : Double.NaN;
	}

	/**
	 * The output tokens that arrived between the first and the last content chunk, which time per
	 * output token and the token rate are computed over: the output tokens, less the reasoning
	 * tokens the provider reported but did not stream (hidden reasoning happens before the first
	 * visible token). Streamed reasoning arrived and counts. {@code 0} when unknown.
	 */
	public long getTimedOutputTokens() {
		if (this.outputTokens == null) {
			return 0;
		}
		long hiddenReasoning = (this.reasoningTokens != null && !this.reasoningStreamed) ? this.reasoningTokens : 0;
		return Math.max(0, this.outputTokens - hiddenReasoning);
	}

	private long decodeNanos() {
		if (!hasFirstToken() || getTimedOutputTokens() < 2) {
			return 0;
		}
		return this.lastTokenNanos - this.firstTokenNanos;
	}

	public @Nullable Long getInputTokens() {
		return this.inputTokens;
	}

	public void setInputTokens(@Nullable Long inputTokens) {
		this.inputTokens = inputTokens;
	}

	public @Nullable Long getOutputTokens() {
		return this.outputTokens;
	}

	public @Nullable TokenCountSource getOutputTokensSource() {
		return this.outputTokensSource;
	}

	public void setOutputTokens(long outputTokens, TokenCountSource source) {
		this.outputTokens = outputTokens;
		this.outputTokensSource = source;
	}

	/** Of the output tokens, those spent on reasoning; only when the provider reported them. */
	public @Nullable Long getReasoningTokens() {
		return this.reasoningTokens;
	}

	public void setReasoningTokens(@Nullable Long reasoningTokens) {
		this.reasoningTokens = reasoningTokens;
	}

	/** Whether reasoning text was streamed (then reasoning tokens arrived like any other). */
	public boolean isReasoningStreamed() {
		return this.reasoningStreamed;
	}

	public void markReasoningStreamed() {
		this.reasoningStreamed = true;
	}

	/** Of the input tokens, those read from the provider's cache; only when the provider reported them. */
	public @Nullable Long getCachedInputTokens() {
		return this.cachedInputTokens;
	}

	public void setCachedInputTokens(@Nullable Long cachedInputTokens) {
		this.cachedInputTokens = cachedInputTokens;
	}

	/** Of the input tokens, those written to the provider's cache; only when the provider reported them. */
	public @Nullable Long getCacheCreationInputTokens() {
		return this.cacheCreationInputTokens;
	}

	public void setCacheCreationInputTokens(@Nullable Long cacheCreationInputTokens) {
		this.cacheCreationInputTokens = cacheCreationInputTokens;
	}

	/** The call's cost in USD; {@code null} when its model has no price. */
	public @Nullable CallCost getCost() {
		return this.cost;
	}

	public void setCost(@Nullable CallCost cost) {
		this.cost = cost;
	}

	public @Nullable String getResponseModel() {
		return this.responseModel;
	}

	public void setResponseModel(@Nullable String responseModel) {
		this.responseModel = responseModel;
	}

	/** Captured prompt ({@code gen_ai.input.messages} JSON), only when content capture is on. */
	public @Nullable String getInputMessages() {
		return this.inputMessages;
	}

	public void setInputMessages(@Nullable String inputMessages) {
		this.inputMessages = inputMessages;
	}

	/** Captured completion ({@code gen_ai.output.messages} JSON), only when content capture is on. */
	public @Nullable String getOutputMessages() {
		return this.outputMessages;
	}

	public void setOutputMessages(@Nullable String outputMessages) {
		this.outputMessages = outputMessages;
	}

	/**
	 * The captured completion text, secrets redacted and cut to the capture's maximum length,
	 * only when content capture is on; for analyses of the answer, never exported as it is.
	 */
	public @Nullable String getOutputText() {
		return this.outputText;
	}

	public void setOutputText(@Nullable String outputText) {
		this.outputText = outputText;
	}

	/**
	 * Whether a response extractor read what the call returned; a call whose result has no
	 * extractor (an embedding, a DTO) has no known text, and is never an empty answer.
	 */
	public boolean isResponseRead() {
		return this.responseRead;
	}

	public void markResponseRead() {
		this.responseRead = true;
	}

	/**
	 * The finish reasons as the provider named them ({@code gen_ai.response.finish_reasons}).
	 * Read-only: add through {@link #addFinishReason}.
	 */
	public List<String> getFinishReasons() {
		List<String> reasons = this.finishReasons;
		return (reasons != null) ? reasons : List.of();
	}

	public void addFinishReason(String finishReason) {
		List<String> reasons = this.finishReasons;
		if (reasons == null) {
			reasons = new ArrayList<>(1);
			this.finishReasons = reasons;
		}
		if (!reasons.contains(finishReason)) {
			reasons.add(finishReason);
		}
	}

	/** Why the call was slow. Read-only: add through {@link #addSlowReason}. */
	public Set<SlowCallReason> getSlowReasons() {
		Set<SlowCallReason> reasons = this.slowReasons;
		return (reasons != null) ? reasons : Set.of();
	}

	public void addSlowReason(SlowCallReason reason) {
		Set<SlowCallReason> reasons = this.slowReasons;
		if (reasons == null) {
			reasons = EnumSet.noneOf(SlowCallReason.class);
			this.slowReasons = reasons;
		}
		reasons.add(reason);
	}

	/** Events recorded so far, in order; exported as span events. */
	public synchronized List<LlmCallEvent> getEvents() {
		return (this.events != null) ? List.copyOf(this.events) : List.of();
	}

	public synchronized void addEvent(LlmCallEvent event) {
		if (this.events == null) {
			this.events = new ArrayList<>(2);
		}
		this.events.add(event);
	}

	/**
	 * Called by a handler at its start when it must hear of the stop whatever other handlers do:
	 * Micrometer stops telling handlers at the first that throws, and a handler failing in
	 * {@code onStop} would leave a gauge up or a span open. Such a handler calls
	 * {@link #stopReceived} in its {@code onStop}.
	 */
	public synchronized void awaitStop(ObservationHandler<LlmCallContext> handler) {
		if (this.awaitingStop == null) {
			this.awaitingStop = new ArrayList<>(3);
		}
		this.awaitingStop.add(handler);
	}

	/** Called by a handler that {@link #awaitStop awaits the stop} when it hears of it. */
	public synchronized void stopReceived(ObservationHandler<LlmCallContext> handler) {
		if (this.awaitingStop != null) {
			this.awaitingStop.remove(handler);
		}
	}

	/**
	 * Tells the handlers that await the stop and did not hear of it; called once the observation's
	 * stop failed. A handler failing here is passed on after the others have been told.
	 */
	public void deliverMissedStops() {
		List<ObservationHandler<LlmCallContext>> missed;
		synchronized (this) {
			missed = (this.awaitingStop != null) ? List.copyOf(this.awaitingStop) : List.of();
		}
		RuntimeException failure = null;
		for (ObservationHandler<LlmCallContext> handler : missed) {
			try {
				handler.onStop(this);
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/** Wall-clock time of a monotonic timestamp of this call, in nanoseconds since the epoch. */
	public long toEpochNanos(long monotonicNanos) {
		return this.startWallTimeMillis * 1_000_000L + (monotonicNanos - this.startNanos);
	}

}
