package io.llmmonitor.docs;

import io.llmmonitor.cost.LlmBudgetMetrics;
import io.llmmonitor.feedback.LlmFeedback;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.DefaultEndpointObservationConvention;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.observation.LlmCallEvent;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallEvents;
import io.llmmonitor.quality.LlmQualityObservationHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public name constants are compile-time constants (this class does not compile otherwise: a
 * {@code case} label needs one, as in a user's {@code ObservationPredicate}) and say what the
 * documentation enums say.
 */
class PublicNameConstantsTests {

	@Test
	void nameConstantsServeAsCaseLabelsAndMatchTheDocumentation() {
		assertThat(kind(DefaultLlmCallObservationConvention.NAME)).isEqualTo("call");
		assertThat(kind(LlmMeters.ENDPOINT_DURATION.getName())).isEqualTo("endpoint");
		assertThat(kind(LlmMeters.TIME_TO_FIRST_TOKEN.getName())).isEqualTo("meter");
		assertThat(kind(LlmMeters.FEEDBACK_SCORE.getName())).isEqualTo("meter");
		assertThat(kind(LlmCallEvents.FIRST_TOKEN.getName())).isEqualTo("event");
		assertThat(kind(LlmCallEvents.SLOW_CALL.getName())).isEqualTo("event");
		assertThat(kind("llm.unknown")).isEqualTo("none");
	}

	private static String kind(String name) {
		switch (name) {
			case DefaultLlmCallObservationConvention.NAME:
				return "call";
			case DefaultEndpointObservationConvention.NAME:
				return "endpoint";
			case LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN:
			case LlmMetricsObservationHandler.TOKENS:
			case LlmQualityObservationHandler.FINISH_REASONS:
			case LlmFeedback.SCORE:
			case LlmBudgetMetrics.BUDGET:
				return "meter";
			case LlmCallEvent.FIRST_TOKEN:
			case LlmCallEvent.SLOW_CALL:
				return "event";
			default:
				return "none";
		}
	}

}
