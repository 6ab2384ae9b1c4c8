package io.llmmonitor.sample;

import java.time.Duration;
import java.util.List;

import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.sample.chat.ChatController.ChatAnswer;
import io.llmmonitor.sample.chat.ChatController.ChatQuestion;
import io.llmmonitor.sample.demo.DemoTrafficProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's chat API against its built-in simulator, over real HTTP, without random failures.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.error-rate=0", "sample.simulator.stream-abort-rate=0",
				"sample.simulator.slow-rate=0", "sample.simulator.min-tokens=5", "sample.simulator.max-tokens=10" })
@AutoConfigureWebTestClient(timeout = "30s")
class SampleApplicationTests {

	@Autowired
	private WebTestClient client;

	@Autowired
	private MeterRegistry meterRegistry;

	@Autowired
	private LlmPriceTable priceTable;

	@Autowired
	private DemoTrafficProperties demoTraffic;

	@Test
	void everyModelOfTheDemoHasAPrice() {
		assertThat(this.demoTraffic.getModels()).isNotEmpty()
			.allSatisfy((model) -> assertThat(this.priceTable.priceOf(model)).as(model).isNotNull());
	}

	@Test
	void answersAndMonitorsAWholeCompletion() {
		ChatAnswer answer = this.client.post()
			.uri("/api/chat")
			.bodyValue(new ChatQuestion("llama-3.1-8b-sim", "Say hello"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(ChatAnswer.class)
			.returnResult()
			.getResponseBody();

		assertThat(answer.model()).isEqualTo("llama-3.1-8b-sim");
		assertThat(answer.completionTokens()).isBetween(5L, 10L);
		assertThat(answer.content().split(" ")).hasSize((int) answer.completionTokens());
		assertThat(this.meterRegistry.get("llm.request.duration")
			.tags("model", "llama-3.1-8b-sim", "provider", "simulated", "status", "success")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meterRegistry.get("llm.tokens")
			.tags("model", "llama-3.1-8b-sim", "type", "output")
			.counter()
			.count()).isEqualTo(answer.completionTokens());
	}

	@Test
	void streamsAndMeasuresTimeToFirstToken() {
		List<String> tokens = this.client.get()
			.uri("/api/chat/stream?model=gpt-4o-sim&prompt=Say+hello")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(tokens).hasSizeBetween(5, 10);
		assertThat(this.meterRegistry.get("llm.time.to.first.token").tag("model", "gpt-4o-sim").timer().count())
			.isEqualTo(1);
		// the usage chunk of the simulator is exact: one output token per streamed word
		assertThat(this.meterRegistry.get("llm.tokens")
			.tags("model", "gpt-4o-sim", "type", "output")
			.counter()
			.count()).isEqualTo(tokens.size());
		assertThat(this.meterRegistry.get("llm.endpoint.duration").tag("endpoint", "chat.stream").timer().count())
			.isEqualTo(1);
	}

	@Test
	void unknownModelIsAGatewayErrorAndAFailedCall() {
		this.client.post()
			.uri("/api/chat")
			.bodyValue(new ChatQuestion("no-such-model", "hi"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.BAD_GATEWAY);

		assertThat(this.meterRegistry.get("llm.request.duration")
			.tags("model", "no-such-model", "status", "error", "error_type", "NotFound")
			.timer()
			.count()).isEqualTo(1);
	}

}
