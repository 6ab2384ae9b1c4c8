package io.llmmonitor.springai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.autoconfigure.LlmMonitorAopAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorSpringAiAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorTracingAutoConfiguration;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.FakeOpenAiServer;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring AI 2's own {@code OpenAiChatModel}, a final class that cannot be proxied, with its real
 * HTTP client against {@link FakeOpenAiServer}: calls through a {@code ChatClient} from Spring AI's
 * auto-configured builder are monitored, streams with time to first token and the provider's
 * usage.
 */
class SpringAiChatClientTests {

	private static final FakeOpenAiServer server = FakeOpenAiServer.start();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				AopAutoConfiguration.class, MicrometerTracingAutoConfiguration.class, ChatClientAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class,
				LlmMonitorSpringAiAutoConfiguration.class))
		.withUserConfiguration(SimpleTracingConfiguration.class, OpenAiConfiguration.class);

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void aBlockingChatClientCallIsOneLlmCallWithTheProvidersUsage() {
		this.runner.run((context) -> {
			assertThat(AopUtils.isAopProxy(context.getBean(OpenAiChatModel.class))).isFalse();

			String answer = chatClient(context).prompt("Hello").call().content();

			assertThat(answer).isEqualTo(String.join("", FakeOpenAiServer.WORDS));
			Timer requests = meters(context).get("llm.request.duration").timer();
			assertThat(requests.getId().getTag("model")).isEqualTo("gpt-4o");
			assertThat(requests.getId().getTag("provider")).isEqualTo("openai");
			assertThat(requests.getId().getTag("status")).isEqualTo("success");
			assertThat(requests.count()).isEqualTo(1);
			assertThat(tokens(context, "input")).isEqualTo(12.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			SimpleSpan llm = llmSpan(context);
			assertThat(llm.getTags()).containsEntry("gen_ai.response.model", FakeOpenAiServer.MODEL)
				.containsEntry("gen_ai.request.stream", "false");
		});
	}

	@Test
	void aStreamedChatClientCallMeasuresTimeToFirstTokenAndReadsTheUsageChunk() {
		this.runner.run((context) -> {
			List<String> words = chatClient(context).prompt()
				.user("Hello")
				.options(OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true))
				.stream()
				.content()
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(words).containsExactlyElementsOf(FakeOpenAiServer.WORDS);
			Timer timeToFirstToken = meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
				.tag("model", "gpt-4o-mini")
				.tag("provider", "openai")
				.timer();
			assertThat(timeToFirstToken.count()).isEqualTo(1);
			assertThat(timeToFirstToken.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(45.0);
			assertThat(meters(context).get("llm.request.duration").timer().count()).isEqualTo(1);
			// the provider's count from the usage chunk, not the tokenizer's estimate
			assertThat(tokens(context, "input")).isEqualTo(12.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().count())
				.isEqualTo(1);
			SimpleSpan llm = llmSpan(context);
			assertThat(llm.getTags()).containsEntry("gen_ai.request.stream", "true")
				.containsEntry("gen_ai.usage.output_tokens", "7");
			// Spring AI's own model span runs inside llm-monitor's; it is tagged when it ends, after
			// the stream's last signal
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				SimpleSpan springAiModelSpan = context.getBean(SimpleTracer.class)
					.getSpans()
					.stream()
					.filter((span) -> "openai".equals(span.getTags().get("gen_ai.system")))
					.findFirst()
					.orElseThrow();
				assertThat(Spans.ancestors(context.getBean(SimpleTracer.class).getSpans(), springAiModelSpan))
					.extracting(SimpleSpan::getSpanId)
					.contains(llm.getSpanId());
			});
		});
	}

	@Test
	void aChatClientCalledInsideAProgrammaticCallIsThatCall() {
		this.runner.run((context) -> {
			ChatClient client = chatClient(context);

			String answer = context.getBean(LlmMonitor.class)
				.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> client.prompt("Hello").call().content());

			assertThat(answer).isEqualTo(String.join("", FakeOpenAiServer.WORDS));
			assertCountedOnceWithTheProvidersUsage(context);
		});
	}

	@Test
	void aStreamedChatClientInsideAProgrammaticStreamIsThatStream() {
		this.runner.run((context) -> {
			Flux<String> words = context.getBean(ReactiveLlmMonitor.class)
				.stream(LlmCallSpec.chat("gpt-4o-mini", "openai"), streamedWords(chatClient(context)));

			assertThat(words.collectList().block(Duration.ofSeconds(10)))
				.containsExactlyElementsOf(FakeOpenAiServer.WORDS);
			assertCountedOnceWithTheProvidersUsage(context);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(1);
		});
	}

	/**
	 * A monitored method that returns text has no usage and no first token of its own: it learns
	 * them from the streamed chat client call it makes.
	 */
	@Test
	void aMonitoredMethodReturningTextLearnsUsageAndFirstTokenFromTheChatClientInside() {
		this.runner.withConfiguration(AutoConfigurations.of(LlmMonitorAopAutoConfiguration.class))
			.withBean(Assistant.class)
			.run((context) -> {
				String answer = context.getBean(Assistant.class).answer("Hello");

				assertThat(answer).isEqualTo(String.join("", FakeOpenAiServer.WORDS));
				assertCountedOnceWithTheProvidersUsage(context);
				Timer timeToFirstToken = meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer();
				assertThat(timeToFirstToken.count()).isEqualTo(1);
				assertThat(timeToFirstToken.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(45.0);
				assertThat(llmSpan(context).getTags()).containsEntry("gen_ai.response.finish_reasons", "stop");
			});
	}

	@Test
	void twoExplicitMonitorsNestedStayTwoCalls() {
		this.runner.run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			ChatClient client = chatClient(context);

			monitor.call(LlmCallSpec.chat("agent", "openai"),
					() -> monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> client.prompt("Hello").call().content()));

			assertThat(meters(context).get("llm.request.duration").timers()).extracting((timer) -> timer.getId().getTag("model"))
				.containsExactlyInAnyOrder("agent", "gpt-4o");
			assertThat(meters(context).get("llm.request.duration").timers()).allSatisfy((timer) -> assertThat(timer.count()).isEqualTo(1));
		});
	}

	/**
	 * One LLM call: one request, one call in flight while it ran, one span, the provider's token
	 * counts (the tokenizer would count 8 output tokens of the answer's text) and model.
	 */
	private static void assertCountedOnceWithTheProvidersUsage(AssertableApplicationContext context) {
		assertThat(meters(context).get("llm.request.duration").timers().stream().mapToLong(Timer::count).sum())
			.isEqualTo(1);
		assertThat(meters(context).get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauges())
			.allSatisfy((gauge) -> assertThat(gauge.value()).isZero());
		assertThat(tokens(context, "input")).isEqualTo(12.0);
		assertThat(tokens(context, "output")).isEqualTo(7.0);
		assertThat(llmSpan(context).getTags()).containsEntry("gen_ai.response.model", FakeOpenAiServer.MODEL);
	}

	private static Flux<String> streamedWords(ChatClient client) {
		return client.prompt()
			.user("Hello")
			.options(OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true))
			.stream()
			.content();
	}

	/** An application's method that asks the model through a streamed chat client call and returns the text. */
	static class Assistant {

		private final ChatClient client;

		Assistant(ChatClient.Builder builder) {
			this.client = builder.build();
		}

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public String answer(String question) {
			return String.join("", streamedWords(this.client).collectList().block(Duration.ofSeconds(10)));
		}

	}

	/**
	 * With llm-monitor's observation turned off, the call's place in the Reactor context is left to
	 * its parent: the provider's own spans stay in the request's trace.
	 */
	@Test
	void aDisabledLlmObservationLeavesTheProvidersSpansInTheRequestsTrace() {
		this.runner.withPropertyValues("management.observations.enable.llm=false").run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			// as in WebFlux: the request's observation travels in the Reactor context, not on the thread
			Observation request = Observation.start("http.server.requests", registry);
			assertThat(chatClient(context).prompt("Hello")
				.stream()
				.content()
				.contextWrite((reactor) -> reactor.put(ObservationThreadLocalAccessor.KEY, request))
				.collectList()
				.block(Duration.ofSeconds(10))).containsExactlyElementsOf(FakeOpenAiServer.WORDS);
			request.stop();

			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				Collection<SimpleSpan> spans = context.getBean(SimpleTracer.class).getSpans();
				SimpleSpan springAiModelSpan = spans.stream()
					.filter((span) -> "openai".equals(span.getTags().get("gen_ai.system")))
					.findFirst()
					.orElseThrow();
				assertThat(Spans.ancestors(spans, springAiModelSpan)).extracting(SimpleSpan::getName)
					.contains("http.server.requests");
			});
		});
	}

	@Test
	void theModelCalledDirectlyIsNotMonitoredItsClassIsFinal() {
		this.runner.run((context) -> {
			context.getBean(ChatModel.class).call(new Prompt("Hello"));
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
		});
	}

	@Test
	void aProxiedModelUnderAChatClientCountsTheCallOnce() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					AopAutoConfiguration.class, ChatClientAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
					LlmMonitorMetricsAutoConfiguration.class, LlmMonitorSpringAiAutoConfiguration.class))
			.withBean(SpringAiChatModelTests.OpenAiChatModel.class)
			.run((context) -> {
				assertThat(AopUtils.isAopProxy(context.getBean(ChatModel.class))).isTrue();
				ChatClient client = chatClient(context);

				client.prompt("Hello").call().content();
				client.prompt("Hello").stream().content().collectList().block(Duration.ofSeconds(5));
				context.getBean(ChatModel.class).call(new Prompt("Hello"));

				// two chat client calls and one direct model call
				assertThat(meters(context).get("llm.request.duration").timers().stream().mapToLong(Timer::count).sum())
					.isEqualTo(3);
				assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
					.isEqualTo(1);
			});
	}

	@Test
	void withoutTheChatClientOnTheClassPathNoAdvisorIsAdded() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.ai.chat.client."))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ChatClientMonitoringAdvisor.class)
				.doesNotHaveBean(ChatClientCustomizer.class));
	}

	/** A chat client from the builder that Spring AI's auto-configuration provides. */
	private static ChatClient chatClient(AssertableApplicationContext context) {
		return context.getBean(ChatClient.Builder.class).build();
	}

	/** llm-monitor's span (Spring AI's own model span, its child, is named alike). */
	private static SimpleSpan llmSpan(AssertableApplicationContext context) {
		Collection<SimpleSpan> spans = context.getBean(SimpleTracer.class).getSpans();
		List<SimpleSpan> llm = new ArrayList<>(spans.stream()
			.filter((span) -> span.getTags().containsKey("gen_ai.provider.name"))
			.toList());
		assertThat(llm).hasSize(1);
		return llm.get(0);
	}

	private static double tokens(AssertableApplicationContext context, String type) {
		return meters(context).get(LlmMetricsObservationHandler.TOKENS).tag("type", type).counter().count();
	}

	private static MeterRegistry meters(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	@Configuration(proxyBeanMethods = false)
	static class OpenAiConfiguration {

		@Bean
		OpenAiChatModel openAiChatModel(ObservationRegistry observationRegistry) {
			return OpenAiChatModel.builder()
				.options(OpenAiChatOptions.builder()
					.baseUrl(server.baseUrl())
					.apiKey("test-key")
					.model("gpt-4o")
					.maxRetries(0)
					.build())
				.observationRegistry(observationRegistry)
				.build();
		}

	}

}
