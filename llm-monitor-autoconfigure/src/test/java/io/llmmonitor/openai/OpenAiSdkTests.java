package io.llmmonitor.openai;

import java.time.Duration;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorOpenAiSdkAutoConfiguration;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.FakeOpenAiServer;
import io.llmmonitor.support.TestMonitors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official OpenAI Java SDK, with its own HTTP client, against a local OpenAI-compatible
 * server: chat completions and Responses API results are read exactly, and their streams
 * ({@code StreamResponse}) adapted to a {@code Flux} are measured from the first text chunk.
 */
class OpenAiSdkTests {

	private static final FakeOpenAiServer server = FakeOpenAiServer.start();

	private final OpenAIClient client = OpenAIOkHttpClient.builder()
		.baseUrl(server.baseUrl())
		.apiKey("test")
		.maxRetries(0)
		.build();

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS,
			new ChatCompletionExtractor(), new ChatCompletionChunkExtractor(), new ResponseExtractor(),
			new ResponseStreamEventExtractor());

	private final ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);

	@AfterEach
	void closeClient() {
		this.client.close();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	/** The way docs/integrations.md gives to monitor a streaming call of the SDK: its {@code StreamResponse} as a {@code Flux}. */
	static <T> Flux<T> flux(java.util.function.Supplier<StreamResponse<T>> call) {
		return Flux.using(call::get, (response) -> Flux.fromStream(response.stream()), StreamResponse::close);
	}

	@Test
	void aChatCompletionGivesUsageModelAndFinishReason() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("gpt-4o")
			.addUserMessage("Hello")
			.build();

		ChatCompletion completion = this.monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"),
				() -> this.client.chat().completions().create(params));

		assertThat(completion.choices().get(0).message().content()).contains("Hello there, how can I help?");
		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getInputTokens()).isEqualTo(12);
		assertThat(call.getOutputTokens()).isEqualTo(7);
		assertThat(call.getOutputTokensSource()).isEqualTo(TokenCountSource.PROVIDER);
		assertThat(call.getResponseModel()).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(call.getFinishReasons()).containsExactly("stop");
	}

	@Test
	void aStreamOfChatCompletionChunksMeasuresTimeToFirstTokenAndReadsTheUsageChunk() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("gpt-4o")
			.addUserMessage("Hello")
			.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
			.build();

		List<ChatCompletionChunk> chunks = this.reactive
			.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true),
					flux(() -> this.client.chat().completions().createStreaming(params)))
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(chunks).hasSize(7);
		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getTimeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(45));
		assertThat(call.getInputTokens()).isEqualTo(12);
		assertThat(call.getOutputTokens()).isEqualTo(7);
		assertThat(call.getOutputTokensSource()).isEqualTo(TokenCountSource.PROVIDER);
		assertThat(call.getResponseModel()).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(call.getFinishReasons()).containsExactly("stop");
		assertThat(call.getContentChunks()).isEqualTo(5);
	}

	@Test
	void aResponsesApiResultGivesUsageModelAndStatus() {
		ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o").input("Hello").build();

		Response response = this.monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"),
				() -> this.client.responses().create(params));

		assertThat(response.id()).isEqualTo("resp_1");
		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getInputTokens()).isEqualTo(12);
		assertThat(call.getOutputTokens()).isEqualTo(7);
		assertThat(call.getResponseModel()).isEqualTo(FakeOpenAiServer.MODEL);
		assertThat(call.getFinishReasons()).containsExactly("completed");
	}

	@Test
	void aResponsesApiStreamMeasuresTimeToFirstTokenAndReadsTheCompletedEvent() {
		ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o").input("Hello").build();

		List<ResponseStreamEvent> events = this.reactive
			.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true),
					flux(() -> this.client.responses().createStreaming(params)))
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(events).hasSize(6);
		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getTimeToFirstToken()).isGreaterThanOrEqualTo(Duration.ofMillis(45));
		assertThat(call.getInputTokens()).isEqualTo(12);
		assertThat(call.getOutputTokens()).isEqualTo(7);
		assertThat(call.getOutputTokensSource()).isEqualTo(TokenCountSource.PROVIDER);
		assertThat(call.getContentChunks()).isEqualTo(5);
	}

	@Test
	void aChatCompletionOfAReasoningModelGivesItsReasoningAndCachedTokens() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model(FakeOpenAiServer.REASONING_MODEL)
			.addUserMessage("Hello")
			.build();

		this.monitors.monitor.call(LlmCallSpec.chat(FakeOpenAiServer.REASONING_MODEL, "openai"),
				() -> this.client.chat().completions().create(params));

		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getOutputTokens()).isEqualTo(2007);
		assertThat(call.getReasoningTokens()).isEqualTo(FakeOpenAiServer.REASONING_TOKENS);
		assertThat(call.getCachedInputTokens()).isEqualTo(FakeOpenAiServer.CACHED_TOKENS);
		assertThat(call.isReasoningStreamed()).isFalse();
	}

	@Test
	void aStreamOfAReasoningModelCountsEachReasoningChunkOnceFromTheFirstAndReadsTheUsageDetails() {
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model(FakeOpenAiServer.REASONING_MODEL)
			.addUserMessage("Hello")
			.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
			.build();

		List<ChatCompletionChunk> chunks = this.reactive
			.stream(new LlmCallSpec(FakeOpenAiServer.REASONING_MODEL, "openai", "chat", true),
					flux(() -> this.client.chat().completions().createStreaming(params)))
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(chunks).hasSize(9);
		LlmCallContext call = this.monitors.onlyCall();
		// two reasoning chunks, then five text chunks: the first token is the first reasoning chunk
		assertThat(call.getContentChunks()).isEqualTo(7);
		assertThat(call.isReasoningStreamed()).isTrue();
		assertThat(call.getReasoningTokens()).isEqualTo(FakeOpenAiServer.REASONING_TOKENS);
		assertThat(call.getCachedInputTokens()).isEqualTo(FakeOpenAiServer.CACHED_TOKENS);
		assertThat(call.getOutputTokens()).isEqualTo(2007);
		assertThat(call.getTimedOutputTokens()).isEqualTo(2007);
	}

	@Test
	void aResponsesApiResultOfAReasoningModelGivesItsReasoningAndCachedTokens() {
		ResponseCreateParams params = ResponseCreateParams.builder()
			.model(FakeOpenAiServer.REASONING_MODEL)
			.input("Hello")
			.build();

		this.monitors.monitor.call(LlmCallSpec.chat(FakeOpenAiServer.REASONING_MODEL, "openai"),
				() -> this.client.responses().create(params));

		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getReasoningTokens()).isEqualTo(FakeOpenAiServer.REASONING_TOKENS);
		assertThat(call.getCachedInputTokens()).isEqualTo(FakeOpenAiServer.CACHED_TOKENS);
		// hidden reasoning: not in the timing window
		assertThat(call.getTimedOutputTokens()).isEqualTo(7);
	}

	@Test
	void aResponsesApiStreamOfAReasoningModelCountsItsReasoningEventsOnce() {
		ResponseCreateParams params = ResponseCreateParams.builder()
			.model(FakeOpenAiServer.REASONING_MODEL)
			.input("Hello")
			.build();

		List<ResponseStreamEvent> events = this.reactive
			.stream(new LlmCallSpec(FakeOpenAiServer.REASONING_MODEL, "openai", "chat", true),
					flux(() -> this.client.responses().createStreaming(params)))
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(events).hasSize(8);
		LlmCallContext call = this.monitors.onlyCall();
		assertThat(call.getContentChunks()).isEqualTo(7);
		assertThat(call.isReasoningStreamed()).isTrue();
		assertThat(call.getReasoningTokens()).isEqualTo(FakeOpenAiServer.REASONING_TOKENS);
		assertThat(call.getCachedInputTokens()).isEqualTo(FakeOpenAiServer.CACHED_TOKENS);
		assertThat(call.getTimedOutputTokens()).isEqualTo(2007);
	}

	@Test
	void aReasoningSummaryIsNotStreamedReasoningButTheReasoningTextIs() throws Exception {
		ResponseStreamEventExtractor extractor = new ResponseStreamEventExtractor();
		ResponseStreamEvent summary = com.openai.core.ObjectMappers.jsonMapper()
			.readValue("{\"type\":\"response.reasoning_summary_text.delta\",\"item_id\":\"rs_1\",\"output_index\":0,"
					+ "\"summary_index\":0,\"delta\":\"Weighing options\",\"sequence_number\":1}", ResponseStreamEvent.class);
		ResponseStreamEvent reasoning = com.openai.core.ObjectMappers.jsonMapper()
			.readValue("{\"type\":\"response.reasoning_text.delta\",\"item_id\":\"rs_1\",\"output_index\":0,"
					+ "\"content_index\":0,\"delta\":\"Let me think\",\"sequence_number\":2}", ResponseStreamEvent.class);

		assertThat(summary.isReasoningSummaryTextDelta()).isTrue();
		assertThat(extractor.reasoningContent(summary)).isNull();
		assertThat(extractor.content(summary)).isNull();
		assertThat(extractor.reasoningContent(reasoning)).hasToString("Let me think");
	}

	@Test
	void theExtractorsAreRegisteredWithTheSdkAndOnlyWithIt() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
			.of(ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
					LlmMonitorOpenAiSdkAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(ChatCompletionExtractor.class)
			.hasSingleBean(ChatCompletionChunkExtractor.class)
			.hasSingleBean(ResponseExtractor.class)
			.hasSingleBean(ResponseStreamEventExtractor.class));
		runner.withClassLoader(new FilteredClassLoader("com.openai"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ChatCompletionExtractor.class)
				.doesNotHaveBean(ResponseStreamEventExtractor.class));
	}

}
