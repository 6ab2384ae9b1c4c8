package io.llmmonitor.sample;

import java.time.Duration;
import java.util.Map;

import io.llmmonitor.feedback.LlmFeedback;
import io.llmmonitor.quality.LlmQualityObservationHandler;
import io.llmmonitor.sample.chat.ChatController.ChatAnswer;
import io.llmmonitor.sample.chat.ChatController.ChatQuestion;
import io.llmmonitor.sample.chat.FeedbackController.Rated;
import io.llmmonitor.sample.chat.FeedbackController.Rating;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's quality signals and feedback over real HTTP: a simulator that truncates and refuses
 * every answer, and a user who rates an answer by the trace id it carried.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.truncation-rate=1", "sample.simulator.refusal-rate=1" })
@TestPropertySource(locations = "classpath:steady-simulator.properties")
@AutoConfigureWebTestClient(timeout = "30s")
class QualityAndFeedbackTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void truncatedAndRefusedAnswersAreCountedAndAUsersRatingIsTiedToTheCall() {
		ChatAnswer answer = this.client.post()
			.uri("/api/chat")
			.bodyValue(new ChatQuestion("gpt-4o-sim", "Say hello"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatAnswer.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer.content()).isEqualTo("I'm sorry, but I can't help with that.");
		assertThat(answer.traceId()).hasSize(32);

		assertThat(this.meterRegistry.get(LlmQualityObservationHandler.FINISH_REASONS)
			.tags("model", "gpt-4o-sim", "provider", "simulated", "finish_reason", "length")
			.counter()
			.count()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.meterRegistry.get(LlmQualityObservationHandler.REFUSALS)
				.tags("model", "gpt-4o-sim")
				.counter()
				.count()).isEqualTo(1));

		Rated rated = this.client.post()
			.uri("/api/feedback")
			.bodyValue(new Rating(answer.traceId(), 0, "it would not answer"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Rated.class)
			.returnResult()
			.getResponseBody();
		assertThat(rated).isEqualTo(new Rated("gpt-4o-sim", 0));
		assertThat(this.meterRegistry.get(LlmFeedback.SCORE).tags("model", "gpt-4o-sim", "provider", "simulated")
			.summary()
			.count()).isEqualTo(1);
	}

	@Test
	void aBadRatingIsABadRequest() {
		this.client.post()
			.uri("/api/feedback")
			.bodyValue(new Rating("4bf92f3577b34da6a3ce929d0e0e4736", 5, null))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody(Map.class)
			.isEqualTo(Map.of("error", "A feedback score is a number from 0 to 1, not 5.0"));
		this.client.post()
			.uri("/api/feedback")
			.bodyValue(new Rating("not a trace", 1, null))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

}
