package io.llmmonitor.call;

import java.time.Duration;
import java.util.List;

import io.llmmonitor.call.LlmMonitorSettings.TagLimits;
import io.llmmonitor.cost.LlmPriceTable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one way to build {@link LlmMonitorSettings}: a builder that starts from the documented
 * defaults.
 */
class LlmMonitorSettingsTests {

	@Test
	void theBuilderStartsFromTheDocumentedDefaults() {
		assertThat(LlmMonitorSettings.builder().build()).isEqualTo(LlmMonitorSettings.DEFAULTS)
			.isEqualTo(new LlmMonitorSettings(Duration.ofSeconds(5), 10, false, 100, 100, ContentCapture.DISABLED,
					LlmPriceTable.NONE, new TagLimits(20, 20, 50)));
	}

	@Test
	void aBuilderFromSettingsChangesOnlyWhatItIsTold() {
		ContentCapture capture = new ContentCapture(true, 10, List.of());
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.slowRequestThreshold(Duration.ofSeconds(2))
			.slowTokenRateThreshold(0)
			.tokenEventsEnabled(true)
			.maxTokenEventsPerCall(7)
			.maxModels(3)
			.contentCapture(capture)
			.tagLimits(new TagLimits(1, 2, 3))
			.build();
		LlmPriceTable prices = (model) -> null;

		LlmMonitorSettings priced = settings.toBuilder().prices(prices).build();

		assertThat(priced).isEqualTo(new LlmMonitorSettings(Duration.ofSeconds(2), 0, true, 7, 3, capture, prices,
				new TagLimits(1, 2, 3)));
	}

}
