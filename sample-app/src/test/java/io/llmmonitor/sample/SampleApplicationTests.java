package io.llmmonitor.sample;

import java.time.Duration;
import java.util.List;

import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.sample.chat.ChatController.ChatAnswer;
import io.llmmonitor.sample.chat.ChatController.ChatQuestion;
import io.llmmonitor.sample.chat.ChatService;
import io.llmmonitor.sample.demo.DemoTrafficProperties;
import io.llmmonitor.sample.openai.OpenAiApi.ChatCompletionChunk;
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
import static org.assertj.core.api.Assertions.within;

/**
 * The sample's chat API against its built-in simulator, over real HTTP, without random failures.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.min-tokens=5", "sample.simulator.max-tokens=10" })
@TestPropertySource(locations = "classpath:steady-simulator.properties")
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

	@Autowired
	private ChatService chatService;

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
	void aReasoningModelsHiddenReasoningAndCachedPromptAreCountedPricedAndNotTimed() {
		// the service, not the chat API, so that the endpoint's timer stays the other tests'
		List<String> tokens = this.chatService.stream("o4-mini-sim", "Explain time to first token please")
			.mapNotNull(ChatCompletionChunk::content)
			.filter((content) -> !content.isEmpty())
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(tokens).hasSizeBetween(5, 10);
		// the simulator reasons 200 hidden tokens and reports them, and half the prompt as cached
		assertThat(tokenCount("o4-mini-sim", "reasoning")).isEqualTo(200);
		assertThat(tokenCount("o4-mini-sim", "output")).isEqualTo(200 + tokens.size());
		double input = tokenCount("o4-mini-sim", "input");
		double cached = tokenCount("o4-mini-sim", "cached_input");
		assertThat(cached).isEqualTo(Math.round(input * 0.5));
		assertThat(this.meterRegistry.get("llm.cost").tags("model", "o4-mini-sim", "type", "cached_input").counter()
			.count()).isCloseTo(cached * 0.275 / 1e6, within(1e-12));
		// the rate counts the visible tokens only: about 150 tokens/s (bounds loose for busy machines),
		// not the 200 + n tokens over the time of the visible n (thousands of tokens/s)
		assertThat(this.meterRegistry.get("llm.token.generation.rate").tag("model", "o4-mini-sim").summary().max())
			.isBetween(10.0, 1_000.0);
	}

	private double tokenCount(String model, String type) {
		return this.meterRegistry.get("llm.tokens").tags("model", model, "type", type).counter().count();
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
