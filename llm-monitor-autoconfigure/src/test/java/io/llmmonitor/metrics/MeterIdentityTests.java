package io.llmmonitor.metrics;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.common.KeyValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of a call are those of its identity at its end: a call whose model is known only from
 * the response records its tokens under that model, while its in-flight gauge returns under the
 * identity it started with.
 */
class MeterIdentityTests {

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new TokensPerCallTests.AnswerExtractor());

	@Test
	void aModelKnownOnlyFromTheResponseGetsTheTokensOfTheCall() {
		this.monitors.monitor.call(LlmCallSpec.chat("", "openai"),
				() -> new TokensPerCallTests.Answer(new LlmUsage(1000L, 50L), "gpt-4o-2024-08-06"));

		assertThat(this.monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS_PER_CALL)
			.tag("model", "gpt-4o-2024-08-06")
			.tag("type", "output")
			.summary()
			.totalAmount()).isEqualTo(50);
		assertThat(this.monitors.meterRegistry.get(LlmMetricsObservationHandler.ACTIVE_REQUESTS)
			.gauges()).allSatisfy((gauge) -> assertThat(gauge.value()).isZero());
	}

	@Test
	void aKeyThatAnObservationFilterAddsAtTheStopIsPartOfTheIdentityOfTheCallsMeters() {
		this.monitors.observationRegistry.observationConfig()
			.observationFilter((context) -> context.addLowCardinalityKeyValue(KeyValue.of("region", "eu")));

		this.monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> new TokensPerCallTests.Answer(new LlmUsage(1000L, 50L)));

		assertThat(this.monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS_PER_CALL)
			.tag("model", "gpt-4o")
			.tag("region", "eu")
			.tag("type", "output")
			.summary()
			.totalAmount()).isEqualTo(50);
	}

	@Test
	void aCallWhoseIdentityDidNotChangeRecordsUnderTheIdentityItStartedWith() {
		this.monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> new TokensPerCallTests.Answer(new LlmUsage(1000L, 50L)));

		assertThat(this.monitors.meterRegistry.get(LlmMetricsObservationHandler.TOKENS_PER_CALL)
			.tag("model", "gpt-4o")
			.tag("type", "output")
			.summary()
			.totalAmount()).isEqualTo(50);
	}

}
