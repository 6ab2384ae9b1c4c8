package io.llmmonitor.call;

import java.time.Duration;

import io.llmmonitor.cost.LlmPriceTable;

/**
 * Behaviour settings of {@link LlmMonitor}, bound from {@code llm.monitor.*}; built with
 * {@link #builder()}, which starts from the documented defaults.
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

	/** The documented defaults: 5 s, 10 tokens/s, per-token events off (100 when on), 100 models. */
	public static final LlmMonitorSettings DEFAULTS = builder().build();

	/** A builder that starts from the documented defaults: set only what differs. */
	public static Builder builder() {
		return new Builder();
	}

	/** A builder that starts from these settings. */
	public Builder toBuilder() {
		return builder().slowRequestThreshold(this.slowRequestThreshold)
			.slowTokenRateThreshold(this.slowTokenRateThreshold)
			.tokenEventsEnabled(this.tokenEventsEnabled)
			.maxTokenEventsPerCall(this.maxTokenEventsPerCall)
			.maxModels(this.maxModels)
			.contentCapture(this.contentCapture)
			.prices(this.prices)
			.tagLimits(this.tagLimits);
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

	/** Builds {@link LlmMonitorSettings}; each setting starts at its documented default. */
	public static final class Builder {

		private Duration slowRequestThreshold = Duration.ofSeconds(5);

		private double slowTokenRateThreshold = 10;

		private boolean tokenEventsEnabled;

		private int maxTokenEventsPerCall = 100;

		private int maxModels = 100;

		private ContentCapture contentCapture = ContentCapture.DISABLED;

		private LlmPriceTable prices = LlmPriceTable.NONE;

		private TagLimits tagLimits = TagLimits.DEFAULTS;

		private Builder() {
		}

		public Builder slowRequestThreshold(Duration slowRequestThreshold) {
			this.slowRequestThreshold = slowRequestThreshold;
			return this;
		}

		public Builder slowTokenRateThreshold(double slowTokenRateThreshold) {
			this.slowTokenRateThreshold = slowTokenRateThreshold;
			return this;
		}

		public Builder tokenEventsEnabled(boolean tokenEventsEnabled) {
			this.tokenEventsEnabled = tokenEventsEnabled;
			return this;
		}

		public Builder maxTokenEventsPerCall(int maxTokenEventsPerCall) {
			this.maxTokenEventsPerCall = maxTokenEventsPerCall;
			return this;
		}

		public Builder maxModels(int maxModels) {
			this.maxModels = maxModels;
			return this;
		}

		public Builder contentCapture(ContentCapture contentCapture) {
			this.contentCapture = contentCapture;
			return this;
		}

		public Builder prices(LlmPriceTable prices) {
			this.prices = prices;
			return this;
		}

		public Builder tagLimits(TagLimits tagLimits) {
			this.tagLimits = tagLimits;
			return this;
		}

		public LlmMonitorSettings build() {
			return new LlmMonitorSettings(this.slowRequestThreshold, this.slowTokenRateThreshold,
					this.tokenEventsEnabled, this.maxTokenEventsPerCall, this.maxModels, this.contentCapture,
					this.prices, this.tagLimits);
		}

	}

}
