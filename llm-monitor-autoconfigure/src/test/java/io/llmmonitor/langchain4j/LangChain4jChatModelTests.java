package io.llmmonitor.langchain4j;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.service.AiServices;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorLangChain4jAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.support.CallContexts;
import io.llmmonitor.support.FakeOpenAiServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * LangChain4j's own OpenAI chat models, with their HTTP client, against a local OpenAI-compatible
 * server: every {@code ChatModel} and {@code StreamingChatModel} bean is monitored without
 * annotations, AI services through their model.
 */
@ExtendWith(OutputCaptureExtension.class)
class LangChain4jChatModelTests {

	private static final FakeOpenAiServer server = FakeOpenAiServer.start();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				AopAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorLangChain4jAutoConfiguration.class))
		.withBean(OpenAiChatModel.class, () -> chatModel("gpt-4o"))
		.withBean(OpenAiStreamingChatModel.class, () -> streamingModel("gpt-4o"));

	@AfterAll
	static void stopServer() {
		server.close();
	}

	static OpenAiChatModel chatModel(String model) {
		return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test").modelName(model).maxRetries(0).build();
	}

	static OpenAiStreamingChatModel streamingModel(String model) {
		return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("test").modelName(model).build();
	}

	@Test
	void aBlockingCallIsOneLlmCallWithTheProvidersUsageModelAndFinishReason() {
		this.runner.run((context) -> {
			OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
			assertThat(AopUtils.isAopProxy(model)).isTrue();

			ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build());

			assertThat(response.aiMessage().text()).isEqualTo("Hello there, how can I help?");
			assertThat(requests(context, "gpt-4o", "success").count()).isEqualTo(1);
			assertThat(tokens(context, "input")).isEqualTo(12.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			assertThat(meters(context).find(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()).isNull();
		});
	}

	@Test
	void aMonitorThatCannotBeResolvedLeavesTheCallRunningAndNamesTheMethod(CapturedOutput output) {
		ProxyFactory proxyFactory = new ProxyFactory(chatModel("gpt-4o"));
		proxyFactory.addAdvice(new ChatModelMonitoringInterceptor(missing(LlmMonitor.class),
				missing(InvocationObserver.class)));
		ChatModel model = (ChatModel) proxyFactory.getProxy();

		ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build());

		assertThat(response.aiMessage().text()).isEqualTo("Hello there, how can I help?");
		assertThat(output).contains("llm-monitor: failure while monitoring the LangChain4j chat model method ")
			.contains(".chat(dev.langchain4j.model.chat.request.ChatRequest); the monitored call is unaffected");
	}

	private static <T> ObjectProvider<T> missing(Class<T> type) {
		return new StaticListableBeanFactory().getBeanProvider(type);
	}

	@Test
	void aConvenienceMethodIsOneCallWithTheUsageOfTheRequestItMakes() {
		this.runner.run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);

			assertThat(model.chat("Hello")).isEqualTo("Hello there, how can I help?");

			assertThat(requests(context, "gpt-4o", "success").count()).isEqualTo(1);
			assertThat(tokens(context, "input")).isEqualTo(12.0);
		});
	}

	@Test
	void aStreamMeasuresTimeToFirstTokenFromTheHandlersCallbacks() {
		this.runner.run((context) -> {
			StreamingChatModel model = context.getBean(StreamingChatModel.class);
			Handler handler = new Handler(false);

			model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).modelName("gpt-4o-mini").build(),
					handler);

			assertThat(handler.completed.get(5, TimeUnit.SECONDS).aiMessage().text())
				.isEqualTo("Hello there, how can I help?");
			assertThat(handler.partials).containsExactlyElementsOf(FakeOpenAiServer.WORDS);
			assertThat(requests(context, "gpt-4o-mini", "success").count()).isEqualTo(1);
			Timer timeToFirstToken = meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN)
				.tag("model", "gpt-4o-mini")
				.tag("provider", "openai")
				.timer();
			assertThat(timeToFirstToken.count()).isEqualTo(1);
			assertThat(timeToFirstToken.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(45.0);
			assertThat(tokens(context, "input")).isEqualTo(12.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().count())
				.isEqualTo(1);
		});
	}

	@Test
	void aBlockingCallOfAReasoningModelGivesItsReasoningAndCachedTokensFromOpenAisTokenUsage() {
		this.runner.withBean(CallContexts.class, CallContexts::new).run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);

			model.chat(ChatRequest.builder()
				.messages(UserMessage.from("Hello"))
				.modelName(FakeOpenAiServer.REASONING_MODEL)
				.build());

			LlmCallContext call = context.getBean(CallContexts.class).only();
			assertThat(call.getReasoningTokens()).isEqualTo(FakeOpenAiServer.REASONING_TOKENS);
			assertThat(call.getCachedInputTokens()).isEqualTo(FakeOpenAiServer.CACHED_TOKENS);
			assertThat(tokens(context, "reasoning")).isEqualTo(2000.0);
			assertThat(tokens(context, "cached_input")).isEqualTo(8.0);
		});
	}

	@Test
	void aStreamOfAReasoningModelCountsEachThinkingAndTextPartOnceWithTheUsageOfTheCompleteResponse() {
		this.runner.withBean(CallContexts.class, CallContexts::new)
			.withBean("thinkingModel", OpenAiStreamingChatModel.class,
					() -> OpenAiStreamingChatModel.builder()
						.baseUrl(server.baseUrl())
						.apiKey("test")
						.modelName(FakeOpenAiServer.REASONING_MODEL)
						.returnThinking(true)
						.build())
			.run((context) -> {
				StreamingChatModel model = context.getBean("thinkingModel", StreamingChatModel.class);
				Handler handler = new Handler(false);

				model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build(), handler);

				handler.completed.get(5, TimeUnit.SECONDS);
				LlmCallContext call = context.getBean(CallContexts.class).only();
				// two thinking parts, then five text parts; the first token is the first thinking part
				assertThat(call.getContentChunks()).isEqualTo(7);
				assertThat(call.isReasoningStreamed()).isTrue();
				assertThat(call.getOutputTokens()).isEqualTo(2007);
				assertThat(call.getOutputTokensSource()).isEqualTo(TokenCountSource.PROVIDER);
				assertThat(call.getReasoningTokens()).isEqualTo(FakeOpenAiServer.REASONING_TOKENS);
				assertThat(call.getCachedInputTokens()).isEqualTo(FakeOpenAiServer.CACHED_TOKENS);
				assertThat(call.getTimedOutputTokens()).isEqualTo(2007);
			});
	}

	@Test
	void aStreamingConvenienceMethodIsOneStream() {
		this.runner.run((context) -> {
			Handler handler = new Handler(false);

			context.getBean(StreamingChatModel.class).chat("Hello", handler);

			handler.completed.get(5, TimeUnit.SECONDS);
			assertThat(requests(context, "gpt-4o", "success").count()).isEqualTo(1);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
				.isEqualTo(1);
		});
	}

	@Test
	void failedCallsAreErrors() {
		this.runner.withBean("failingModel", OpenAiChatModel.class, () -> chatModel(FakeOpenAiServer.FAILING_MODEL))
			.withBean("failingStreamingModel", OpenAiStreamingChatModel.class,
					() -> streamingModel(FakeOpenAiServer.FAILING_MODEL))
			.run((context) -> {
				ChatModel failing = context.getBean("failingModel", ChatModel.class);
				assertThatException().isThrownBy(() -> failing.chat("Hello"));
				Handler handler = new Handler(false);
				context.getBean("failingStreamingModel", StreamingChatModel.class).chat("Hello", handler);
				assertThat(handler.failed.get(5, TimeUnit.SECONDS)).isNotNull();

				assertThat(requests(context, FakeOpenAiServer.FAILING_MODEL, "error").count()).isEqualTo(2);
			});
	}

	@Test
	void cancellingTheStreamThroughItsHandleEndsTheCallAsCancelled() {
		this.runner.run((context) -> {
			Handler handler = new Handler(true);

			context.getBean(StreamingChatModel.class).chat("Hello", handler);

			handler.cancelled.get(5, TimeUnit.SECONDS);
			assertThat(requests(context, "gpt-4o", "cancelled").count()).isEqualTo(1);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
				.isEqualTo(1);
		});
	}

	interface Assistant {

		String chat(String message);

	}

	@Test
	void anAiServiceIsMonitoredThroughItsModelOnce() {
		this.runner.run((context) -> {
			Assistant assistant = AiServices.create(Assistant.class, context.getBean(ChatModel.class));

			assertThat(assistant.chat("Hello")).isEqualTo("Hello there, how can I help?");

			assertThat(requests(context, "gpt-4o", "success").count()).isEqualTo(1);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
		});
	}

	/** A model of the application's own that routes to the OpenAI model bean. */
	public static class RoutingChatModel implements ChatModel {

		private final ChatModel delegate;

		public RoutingChatModel(ChatModel delegate) {
			this.delegate = delegate;
		}

		@Override
		public ChatResponse doChat(ChatRequest request) {
			return this.delegate.chat(request);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RoutingConfiguration {

		@Bean
		RoutingChatModel routing(OpenAiChatModel openAi) {
			return new RoutingChatModel(openAi);
		}

	}

	@Test
	void aModelBeanDelegatingToAnotherModelBeanCountsOnce() {
		this.runner.withUserConfiguration(RoutingConfiguration.class).run((context) -> {
				RoutingChatModel routing = context.getBean(RoutingChatModel.class);
				assertThat(AopUtils.isAopProxy(routing)).isTrue();

				assertThat(routing.chat("Hello")).isEqualTo("Hello there, how can I help?");

				assertThat(meters(context).get("llm.request.duration").timers()).singleElement()
					.satisfies((timer) -> assertThat(timer.count()).isEqualTo(1));
				assertThat(tokens(context, "input")).isEqualTo(12.0);
			});
	}

	@Test
	void aModelCalledInsideAnExplicitCallIsThatCallAndGivesItTheProvidersFigures() {
		this.runner.run((context) -> {
			OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
			LlmMonitor monitor = context.getBean(LlmMonitor.class);

			String answer = monitor.call(LlmCallSpec.chat("agent-model", "acme"),
					() -> model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build()).aiMessage().text());

			assertThat(answer).isEqualTo("Hello there, how can I help?");
			assertThat(meters(context).get("llm.request.duration").timers()).singleElement().satisfies((timer) -> {
				assertThat(timer.getId().getTag("model")).isEqualTo("agent-model");
				assertThat(timer.count()).isEqualTo(1);
			});
			// the provider's usage, not the tokenizer's count of the String the outer call returned
			assertThat(tokens(context, "input")).isEqualTo(12.0);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
			assertThat(meters(context).get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()).isZero();
		});
	}

	@Test
	void aStreamInsideAnExplicitCallGivesItTheTimeToFirstToken() {
		this.runner.run((context) -> {
			StreamingChatModel model = context.getBean(StreamingChatModel.class);
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			Handler handler = new Handler(false);

			monitor.call(LlmCallSpec.chat("agent-model", "acme"), () -> {
				model.chat(ChatRequest.builder().messages(UserMessage.from("Hello")).build(), handler);
				return handler.completed.orTimeout(5, TimeUnit.SECONDS).join();
			});

			assertThat(meters(context).get("llm.request.duration").timers()).singleElement()
				.satisfies((timer) -> assertThat(timer.count()).isEqualTo(1));
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
				.isEqualTo(1);
			assertThat(tokens(context, "output")).isEqualTo(7.0);
		});
	}

	@Test
	void offWithItsProperty() {
		this.runner.withPropertyValues("llm.monitor.langchain4j.enabled=false").run((context) -> {
			OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
			assertThat(AopUtils.isAopProxy(model)).isFalse();
			model.chat("Hello");
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
		});
	}

	@Test
	void withoutLangChain4jNothingIsAdded() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					LlmMonitorAutoConfiguration.class, LlmMonitorLangChain4jAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("dev.langchain4j"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ChatModelMonitoringPointcutAdvisor.class)
				.doesNotHaveBean(LangChain4jChatResponseExtractor.class)
				.doesNotHaveBean(CompletedStreamExtractor.class));
	}

	@Test
	void providerNamesFollowTheSemanticConventions() {
		assertThat(ChatModelMonitoringInterceptor.provider(chatModel("gpt-4o"))).isEqualTo("openai");
		assertThat(ChatModelMonitoringInterceptor.provider(new ChatModel() {
		})).isEmpty();
	}

	private static MeterRegistry meters(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	private static Timer requests(AssertableApplicationContext context, String model, String status) {
		return meters(context).get("llm.request.duration")
			.tag("model", model)
			.tag("provider", "openai")
			.tag("operation", "chat")
			.tag("status", status)
			.timer();
	}

	private static double tokens(AssertableApplicationContext context, String type) {
		return meters(context).get(LlmMetricsObservationHandler.TOKENS).tag("type", type).counter().count();
	}

	/** Collects a stream; cancels it at the first partial response when asked to. */
	static final class Handler implements StreamingChatResponseHandler {

		final List<String> partials = new CopyOnWriteArrayList<>();

		final CompletableFuture<ChatResponse> completed = new CompletableFuture<>();

		final CompletableFuture<Throwable> failed = new CompletableFuture<>();

		final CompletableFuture<Void> cancelled = new CompletableFuture<>();

		private final boolean cancel;

		Handler(boolean cancel) {
			this.cancel = cancel;
		}

		@Override
		public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
			this.partials.add(partialResponse.text());
			if (this.cancel) {
				context.streamingHandle().cancel();
				this.cancelled.complete(null);
			}
		}

		@Override
		public void onCompleteResponse(ChatResponse completeResponse) {
			this.completed.complete(completeResponse);
		}

		@Override
		public void onError(Throwable error) {
			this.failed.complete(error);
		}

	}

}
