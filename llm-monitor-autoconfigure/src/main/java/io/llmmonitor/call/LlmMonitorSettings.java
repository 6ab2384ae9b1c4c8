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
 */
public record LlmMonitorSettings(Duration slowRequestThreshold, double slowTokenRateThreshold,
		boolean tokenEventsEnabled, int maxTokenEventsPerCall, int maxModels, ContentCapture contentCapture,
		LlmPriceTable prices) {

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
				this.maxTokenEventsPerCall, this.maxModels, this.contentCapture, prices);
	}

	/** The documented defaults: 5 s, 10 tokens/s, per-token events off (100 when on), 100 models. */
	public static final LlmMonitorSettings DEFAULTS = new LlmMonitorSettings(Duration.ofSeconds(5), 10, false, 100,
			100);

}
