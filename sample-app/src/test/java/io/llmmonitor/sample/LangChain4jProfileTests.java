package io.llmmonitor.sample;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code langchain4j} profile: LangChain4j's OpenAI models and an AI service against the
 * built-in simulator, monitored without an annotation.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.min-tokens=5", "sample.simulator.max-tokens=10" })
@TestPropertySource(locations = "classpath:steady-simulator.properties")
@ActiveProfiles("langchain4j")
@AutoConfigureWebTestClient(timeout = "30s")
class LangChain4jProfileTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private MeterRegistry meterRegistry;

	@Test
	void theAiServiceAndTheStreamingModelAreMonitored() {
		String answer = this.client.get()
			.uri("/api/langchain4j/chat?prompt=Say+hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer).isNotBlank();
		List<String> tokens = this.client.get()
			.uri("/api/langchain4j/chat/stream?prompt=Say+hello")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(tokens).hasSizeBetween(5, 10);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.meterRegistry.get("llm.request.duration")
				.tags("model", "gpt-4o-sim", "provider", "openai", "status", "success")
				.timer()
				.count()).isEqualTo(2));
		assertThat(this.meterRegistry.get("llm.time.to.first.token")
			.tags("model", "gpt-4o-sim", "provider", "openai")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meterRegistry.get("llm.tokens")
			.tags("model", "gpt-4o-sim", "type", "output")
			.counter()
			.count()).isBetween(10.0, 20.0);
	}

}
