package io.llmmonitor.call;

import java.time.Duration;

import io.llmmonitor.cost.LlmPriceTable;

/**
 * Behaviour settings of {@link LlmMonitor}, bound from {@code llm.monitor.*}.
 *
 * @param slowRequestThreshold a call slower than this is slow
 * @param slowTokenRateThreshold a stream slower than this many tokens/s is slow; 0 turns the check off
 * @param tokenEventsEnabled whether each content chunk becomes a span event
 * @param maxTokenEventsPerCall cap on those events per call
 * @param maxModels most distinct model tag values; further models are tagged {@code other}
 * @param contentCapture whether and how prompt and completion text go to spans
 * @param prices model prices for the cost of each call; {@link LlmPriceTable#NONE} for none
 * @param tagLimits most distinct values of the other tags that come from run-time data
 */
public record LlmMonitorSettings(Duration slowRequestThreshold, double slowTokenRateThreshold,
		boolean tokenEventsEnabled, int maxTokenEventsPerCall, int maxModels, ContentCapture contentCapture,
		LlmPriceTable prices, TagLimits tagLimits) {

	/** Settings with the default tag limits. */
	public LlmMonitorSettings(Duration slowRequestThreshold, double slowTokenRateThreshold, boolean tokenEventsEnabled,
			int maxTokenEventsPerCall, int maxModels, ContentCapture contentCapture, LlmPriceTable prices) {
		this(slowRequestThreshold, slowTokenRateThreshold, tokenEventsEnabled, maxTokenEventsPerCall, maxModels,
				contentCapture, prices, TagLimits.DEFAULTS);
	}

	/** Settings without prices. */
	public LlmMonitorSettings(Duration slowRequestThreshold, double slowTokenRateThreshold, boolean tokenEventsEnabled,
			int maxTokenEventsPerCall, int maxModels, ContentCapture contentCapture) {
		this(slowRequestThreshold, slowTokenRateThreshold, tokenEventsEnabled, maxTokenEventsPerCall, maxModels,
				contentCapture, LlmPriceTable.NONE);
	}

	/** Settings without content capture. */
	public LlmMonitorSettings(Duration slowRequestThreshold, double slowTokenRateThreshold, boolean tokenEventsEnabled,
			int maxTokenEventsPerCall, int maxModels) {
		this(slowRequestThreshold, slowTokenRateThreshold, tokenEventsEnabled, maxTokenEventsPerCall, maxModels,
				ContentCapture.DISABLED);
	}

	/** These settings with these prices. */
	public LlmMonitorSettings withPrices(LlmPriceTable prices) {
		return new LlmMonitorSettings(this.slowRequestThreshold, this.slowTokenRateThreshold, this.tokenEventsEnabled,
				this.maxTokenEventsPerCall, this.maxModels, this.contentCapture, prices, this.tagLimits);
	}

	/** These settings with these tag limits. */
	public LlmMonitorSettings withTagLimits(TagLimits tagLimits) {
		return new LlmMonitorSettings(this.slowRequestThreshold, this.slowTokenRateThreshold, this.tokenEventsEnabled,
				this.maxTokenEventsPerCall, this.maxModels, this.contentCapture, this.prices, tagLimits);
	}

	/**
	 * Most distinct values of the {@code provider}, {@code operation} and {@code error_type} tags
	 * (the {@code model} tag has {@link #maxModels()}); further values are tagged {@code other}
	 * in metrics.
	 *
	 * @param providers most distinct providers
	 * @param operations most distinct operations
	 * @param errorTypes most distinct error types
	 */
	public record TagLimits(int providers, int operations, int errorTypes) {

		/** The documented defaults: 20 providers, 20 operations, 50 error types. */
		public static final TagLimits DEFAULTS = new TagLimits(20, 20, 50);

	}

	/** The documented defaults: 5 s, 10 tokens/s, per-token events off (100 when on), 100 models. */
	public static final LlmMonitorSettings DEFAULTS = new LlmMonitorSettings(Duration.ofSeconds(5), 10, false, 100,
			100);

}
