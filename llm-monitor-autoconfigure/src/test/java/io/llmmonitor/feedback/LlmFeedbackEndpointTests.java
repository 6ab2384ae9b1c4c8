package io.llmmonitor.feedback;

import java.time.Duration;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code llmfeedback} write operation; its availability is tested with the auto-configuration.
 */
class LlmFeedbackEndpointTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RecentLlmCalls recentCalls = new RecentLlmCalls(10, Duration.ofHours(1), Clock.SYSTEM);

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	private final LlmFeedbackEndpoint endpoint = new LlmFeedbackEndpoint(
			new LlmFeedback(this.registry, null, this.recentCalls, this.monitors.monitor));

	@Test
	void recordsTheScoreOfTheTracesCallAndSaysWhichModelItRated() {
		this.monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "answer");
		this.recentCalls.remember(new FeedbackHandle(TRACE_ID, "00f067aa0ba902b7", "gpt-4o", "openai"));
		assertThat(this.endpoint.record(TRACE_ID, 1, "great")).containsEntry("traceId", TRACE_ID)
			.containsEntry("model", "gpt-4o")
			.containsEntry("provider", "openai")
			.containsEntry("score", 1.0);
		assertThat(this.registry.get(LlmFeedback.SCORE).tag("model", "gpt-4o").summary().count()).isEqualTo(1);
	}

	@Test
	void badInputIsABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.record(TRACE_ID, 2, null))
			.withMessage("A feedback score is a number from 0 to 1, not 2.0");
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.record("not-a-trace", 1, null))
			.withMessageContaining("A trace id is 32 (or 16) hexadecimal digits");
		assertThat(this.registry.find(LlmFeedback.SCORE).summary()).isNull();
	}

}
