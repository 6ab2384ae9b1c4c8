package io.llmmonitor.springai;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorSpringAiAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorTracingAutoConfiguration;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
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
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring AI chat model beans are monitored without annotations: blocking calls, streams with
 * time to first token, usage and the model that answered.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringAiChatModelTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				AopAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorSpringAiAutoConfiguration.class))
		.withBean(OpenAiChatModel.class);

	@Test
	void aMonitorThatCannotBeResolvedLeavesTheCallRunningAndNamesTheMethod(CapturedOutput output) {
		ProxyFactory proxyFactory = new ProxyFactory(new OpenAiChatModel());
		proxyFactory.addAdvice(new ChatModelMonitoringInterceptor(missing(LlmMonitor.class),
				missing(InvocationObserver.class)));
		ChatModel model = (ChatModel) proxyFactory.getProxy();

		assertThat(model.call(new Prompt("Hello")).getResult().getOutput().getText())
			.isEqualTo("Hello there, how can I help?");
		assertThat(output).contains("llm-monitor: failure while monitoring the Spring AI chat model method ")
			.contains(".call(org.springframework.ai.chat.prompt.Prompt); the monitored call is unaffected");
	}

	private static <T> ObjectProvider<T> missing(Class<T> type) {
		return new StaticListableBeanFactory().getBeanProvider(type);
	}

	@Test
	void aBlockingCallIsOneLlmCallWithTheProvidersUsage() {
		this.runner.run((context) -> {
			OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
			assertThat(AopUtils.isAopProxy(model)).isTrue();

			ChatResponse response = model.call(new Prompt("Hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello there, how can I help?");
			assertThat(requests(context, "gpt-4o").count()).isEqualTo(1);
			assertThat(tokens(context, "input")).isEqualTo(12.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			assertThat(meters(context).find(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()).isNull();
		});
	}

	@Test
	void aStreamMeasuresTimeToFirstTokenAndTakesTheModelOfThePrompt() {
		this.runner.run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);
			Prompt prompt = new Prompt("Hello", ChatOptions.builder().model("gpt-4o-mini").build());

			List<ChatResponse> chunks = model.stream(prompt).collectList().block(Duration.ofSeconds(5));

			assertThat(chunks).hasSize(6);
			assertThat(requests(context, "gpt-4o-mini").count()).isEqualTo(1);
			Timer timeToFirstToken = meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
				.tag("model", "gpt-4o-mini")
				.tag("provider", "openai")
				.timer();
			assertThat(timeToFirstToken.count()).isEqualTo(1);
			assertThat(timeToFirstToken.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(45.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().count())
				.isEqualTo(1);
		});
	}

	/**
	 * What most applications call: a {@code ChatClient} over the chat model bean. Each of its
	 * calls is one LLM call, and the LLM span is a child of Spring AI's own chat client span.
	 */
	@Test
	void chatClientCallsAreMonitoredOnceUnderTheChatClientSpan() {
		this.runner
			.withConfiguration(AutoConfigurations.of(MicrometerTracingAutoConfiguration.class,
					LlmMonitorTracingAutoConfiguration.class))
			.withUserConfiguration(SimpleTracingConfiguration.class)
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				ChatClient client = ChatClient.create(context.getBean(ChatModel.class), registry);
				Observation request = Observation.start("http.server.requests", registry);
				try (Observation.Scope scope = request.openScope()) {
					assertThat(client.prompt("Hello").call().content()).isEqualTo("Hello there, how can I help?");
					assertThat(client.prompt("Hello").stream().content().collectList().block(Duration.ofSeconds(5)))
						.containsExactly("Hello", " there,", " how", " can", " I help?");
				}
				request.stop();

				assertThat(requests(context, "gpt-4o").count()).isEqualTo(2);
				assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
					.isEqualTo(1);
				assertThat(tokens(context, "output")).isEqualTo(14.0);
				// Spring AI ends (and tags) its spans of a stream after the stream's last signal
				await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
					Collection<SimpleSpan> spans = context.getBean(SimpleTracer.class).getSpans();
					List<SimpleSpan> llmSpans = spans.stream()
						.filter((span) -> "chat gpt-4o".equals(span.getName()))
						.toList();
					assertThat(llmSpans).hasSize(2);
					for (SimpleSpan llm : llmSpans) {
						// Spring AI's advisor that calls the model, the chat client's span, the request
						List<SimpleSpan> ancestors = Spans.ancestors(spans, llm);
						assertThat(ancestors.get(0).getTags()).containsEntry("spring.ai.kind", "advisor");
						assertThat(ancestors).extracting((span) -> span.getTags().get("spring.ai.kind"))
							.containsSubsequence("advisor", "chat_client", null);
						assertThat(ancestors.get(ancestors.size() - 1).getName()).isEqualTo("http.server.requests");
					}
				});
			});
	}

	/**
	 * The model called inside a programmatic call, blocking or streamed, is that call: counted
	 * once, with the provider's usage (the tokenizer would count 8 output tokens of the text).
	 */
	@Test
	void aModelCalledInsideAProgrammaticCallIsThatCall() {
		this.runner.run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);
			LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");

			String answer = context.getBean(LlmMonitor.class)
				.call(spec, () -> model.call(new Prompt("Hello")).getResult().getOutput().getText());
			List<String> words = context.getBean(ReactiveLlmMonitor.class)
				.stream(spec, model.stream(new Prompt("Hello"))
					.mapNotNull((chunk) -> (chunk.getResult() != null) ? chunk.getResult().getOutput().getText() : null))
				.collectList()
				.block(Duration.ofSeconds(5));

			assertThat(answer).isEqualTo("Hello there, how can I help?");
			assertThat(words).hasSize(5);
			assertThat(meters(context).get("llm.request.duration").timers().stream().mapToLong(Timer::count).sum())
				.isEqualTo(2);
			assertThat(meters(context).get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
			assertThat(tokens(context, "input")).isEqualTo(24.0);
			assertThat(tokens(context, "output")).isEqualTo(14.0);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(1);
		});
	}

	@Test
	void aConvenienceMethodDelegatingInsideTheModelIsOneCall() {
		this.runner.run((context) -> {
			OpenAiChatModel model = context.getBean(OpenAiChatModel.class);

			assertThat(model.call("Hello")).isEqualTo("Hello there, how can I help?");
			assertThat(model.stream("Hello").collectList().block(Duration.ofSeconds(5))).hasSize(6);

			assertThat(requests(context, "gpt-4o").count()).isEqualTo(2);
		});
	}

	@Test
	void withoutAspectJTheModelsAreStillMonitored() {
		this.runner.withClassLoader(new FilteredClassLoader("org.aspectj")).run((context) -> {
			context.getBean(OpenAiChatModel.class).call(new Prompt("Hello"));
			assertThat(requests(context, "gpt-4o").count()).isEqualTo(1);
		});
	}

	@Test
	void offWithItsProperty() {
		this.runner.withPropertyValues("llm.monitor.spring-ai.enabled=false").run((context) -> {
			OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
			assertThat(AopUtils.isAopProxy(model)).isFalse();
			model.call(new Prompt("Hello"));
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
		});
	}

	@Test
	void withoutSpringAiNothingIsAdded() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					LlmMonitorAutoConfiguration.class, LlmMonitorSpringAiAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ChatModelMonitoringPointcutAdvisor.class)
				.doesNotHaveBean(ChatResponseExtractor.class));
	}

	@Test
	void aFinalChatModelClassIsLeftAloneAndTheApplicationStarts() {
		this.runner.withBean(FinalChatModel.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(AopUtils.isAopProxy(context.getBean(FinalChatModel.class))).isFalse();
			assertThat(AopUtils.isAopProxy(context.getBean(OpenAiChatModel.class))).isTrue();
		});
	}

	@Test
	void providerNamesFollowTheSemanticConventions() {
		assertThat(ChatModelMonitoringInterceptor.provider(new OpenAiChatModel())).isEqualTo("openai");
		assertThat(ChatModelMonitoringInterceptor.provider(new AcmeChatModel())).isEqualTo("acme");
		// through a ChatClient with several models: the class of the prompt's options
		assertThat(ChatModelMonitoringInterceptor.providerOfClass(
				org.springframework.ai.openai.OpenAiChatOptions.class, "ChatOptions")).isEqualTo("openai");
		assertThat(ChatModelMonitoringInterceptor.providerOfClass(
				org.springframework.ai.chat.prompt.DefaultChatOptions.class, "ChatOptions")).isEmpty();
	}

	private static MeterRegistry meters(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	private static Timer requests(AssertableApplicationContext context, String model) {
		return meters(context).get("llm.request.duration")
			.tag("model", model)
			.tag("provider", "openai")
			.tag("operation", "chat")
			.tag("status", "success")
			.timer();
	}

	private static double tokens(AssertableApplicationContext context, String type) {
		return meters(context).get(LlmMetricsObservationHandler.TOKENS).tag("type", type).counter().count();
	}

	/**
	 * Answers like Spring AI's OpenAI model: a whole response, or a stream whose first chunk
	 * comes after 50 ms, then a chunk every 5 ms and a last one with usage only.
	 */
	public static class OpenAiChatModel implements ChatModel {

		private static final List<String> WORDS = List.of("Hello", " there,", " how", " can", " I help?");

		@Override
		public ChatResponse call(Prompt prompt) {
			return response(String.join("", WORDS), 12, 7, "STOP");
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt) {
			Flux<ChatResponse> words = Flux.fromIterable(WORDS).map((word) -> response(word, 0, 0, null));
			return Mono.delay(Duration.ofMillis(50))
				.thenMany(words.delayElements(Duration.ofMillis(5)))
				.concatWith(Mono.fromSupplier(() -> new ChatResponse(List.of(),
						ChatResponseMetadata.builder().model("gpt-4o-mini-2024-07-18").usage(new DefaultUsage(12, 7)).build())));
		}

		@Override
		public ChatOptions getDefaultOptions() {
			return ChatOptions.builder().model("gpt-4o").build();
		}

		private static ChatResponse response(String text, int input, int output, String finishReason) {
			ChatGenerationMetadata generationMetadata = (finishReason != null)
					? ChatGenerationMetadata.builder().finishReason(finishReason).build() : ChatGenerationMetadata.NULL;
			return new ChatResponse(List.of(new Generation(new AssistantMessage(text), generationMetadata)),
					ChatResponseMetadata.builder().model("gpt-4o-2024-08-06").usage(new DefaultUsage(input, output)).build());
		}

	}

	public static class AcmeChatModel extends OpenAiChatModel {

	}

	public static final class FinalChatModel implements ChatModel {

		@Override
		public ChatResponse call(Prompt prompt) {
			return new ChatResponse(List.of());
		}

	}

}
