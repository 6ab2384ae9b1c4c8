package io.llmmonitor.sample;

import io.llmmonitor.sample.chat.ChatController.ChatAnswer;
import io.llmmonitor.sample.chat.ChatController.ChatQuestion;
import io.llmmonitor.sample.chat.FeedbackController.Rating;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with {@code llm.monitor.enabled=false}, as the load benchmark runs it: it starts, answers,
 * records nothing, and its feedback API says that monitoring is off.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "llm.monitor.enabled=false", "sample.simulator.min-tokens=5", "sample.simulator.max-tokens=10" })
@TestPropertySource(locations = "classpath:steady-simulator.properties")
@AutoConfigureWebTestClient(timeout = "30s")
class UnmonitoredSampleTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void answersWithoutMonitoring() {
		ChatAnswer answer = this.client.post()
			.uri("/api/chat")
			.bodyValue(new ChatQuestion("gpt-4o-sim", "Say hello"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatAnswer.class)
			.returnResult()
			.getResponseBody();

		assertThat(answer.completionTokens()).isBetween(5L, 10L);
		assertThat(this.meterRegistry.find("llm.request.duration").meters()).isEmpty();
	}

	@Test
	void feedbackSaysThatMonitoringIsOff() {
		this.client.post()
			.uri("/api/feedback")
			.bodyValue(new Rating("4bf92f3577b34da6a3ce929d0e0e4736", 1.0, null))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

}
