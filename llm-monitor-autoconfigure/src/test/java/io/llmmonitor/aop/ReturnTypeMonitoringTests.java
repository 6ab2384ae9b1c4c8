package io.llmmonitor.aop;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.llmmonitor.web.WebDeferredReturnValueObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.CorePublisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.WebAsyncManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What a monitored method returns at run time decides how it is timed, not only its declared
 * type; the caches of the aspect are kept per target class.
 */
class ReturnTypeMonitoringTests {

	private static final Duration CHUNK_DELAY = Duration.ofMillis(30);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(MonitoringAspectTests.BOOT_AND_LLM_MONITOR)
		.withUserConfiguration(TestBeans.class);

	@Test
	void aPublisherDeclaredAsPublisherIsAStreamTimedToCompletion() {
		this.runner.run((context) -> {
			Publisher<String> stream = context.getBean(Models.class).publisher();
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();

			assertThat(Flux.from(stream).collectList().block()).containsExactly("Hello", " there", ",", " friend");

			assertStreamTimedToCompletion(context);
		});
	}

	@Test
	void aFailingPublisherIsRecordedAsAnError() {
		this.runner.run((context) -> {
			assertThatIllegalStateException()
				.isThrownBy(() -> Flux.from(context.getBean(Models.class).failingPublisher()).blockLast())
				.withMessage("overloaded");

			assertFailedWith(context, "IllegalStateException");
		});
	}

	@Test
	void aMonoDeclaredAsCorePublisherIsASingleResult() {
		this.runner.run((context) -> {
			CorePublisher<String> single = context.getBean(Models.class).corePublisher();
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();

			assertThat(Mono.from(single).block()).isEqualTo("Hello there, friend");

			Timer timer = meters(context).get("llm.request.duration").tag("status", "success").timer();
			assertThat(timer.count()).isEqualTo(1);
			assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
				.isGreaterThanOrEqualTo(CHUNK_DELAY.toMillis());
			assertThat(meters(context).find(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()).isNull();
			assertThat(outputTokens(context)).isEqualTo(4.0);
			assertThat(tracer(context).onlySpan().getTags()).containsEntry("gen_ai.request.stream", "false");
		});
	}

	@Test
	void aFluxDeclaredAsObjectIsAStreamTimedToCompletion() {
		this.runner.run((context) -> {
			Object stream = context.getBean(Models.class).anything("flux");
			assertThat(stream).isInstanceOf(Flux.class);
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
			assertThat(activeRequests(context)).isEqualTo(1.0);

			assertThat(((Flux<?>) stream).collectList().block()).hasSize(4);

			assertStreamTimedToCompletion(context);
			assertThat(activeRequests(context)).isZero();
		});
	}

	@Test
	void eachSubscriptionOfAFluxDeclaredAsObjectIsOneCall() {
		this.runner.run((context) -> {
			Flux<?> stream = (Flux<?>) context.getBean(Models.class).anything("flux");
			stream.blockLast();
			stream.blockLast();

			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timer().count())
				.isEqualTo(2);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
				.isEqualTo(2);
			assertThat(tracer(context).getSpans()).extracting((span) -> span.getTags().get("gen_ai.request.stream"))
				.containsExactly("true", "true");
			assertThat(activeRequests(context)).isZero();
		});
	}

	@Test
	void aFluxDeclaredAsObjectDroppedWithoutASubscriptionEndsAsCancelledOnceCollected() {
		this.runner.run((context) -> {
			assertThat(context.getBean(Models.class).anything("flux")).isInstanceOf(Flux.class);
			assertThat(activeRequests(context)).isEqualTo(1.0);

			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				System.gc();
				assertThat(meters(context).find("llm.request.duration").tag("status", "cancelled").timer())
					.isNotNull();
			});
			assertThat(activeRequests(context)).isZero();
		});
	}

	@Test
	void aFluxDeclaredAsObjectHeldButNeverSubscribedEndsAsCancelledAfterSixtySlowRequestThresholds() {
		this.runner.withPropertyValues("llm.monitor.slow-request-threshold=2ms").run((context) -> {
			// held, so never collected: only the bound on the wait for a subscription ends its call
			Flux<?> held = (Flux<?>) context.getBean(Models.class).anything("flux");
			assertThat(activeRequests(context)).isEqualTo(1.0);

			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(meters(context).find("llm.request.duration")
					.tag("status", "cancelled")
					.timer()).isNotNull());
			assertThat(activeRequests(context)).isZero();
			assertThat(tracer(context).getSpans()).hasSize(1);

			// subscribed at last: a call of its own
			held.blockLast();
			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timer().count())
				.isEqualTo(1);
			assertThat(activeRequests(context)).isZero();
		});
	}

	@Test
	void aFailingMonoDeclaredAsObjectIsRecordedAsAnError() {
		this.runner.run((context) -> {
			Mono<?> single = (Mono<?>) context.getBean(Models.class).anything("failing mono");
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();

			assertThatIllegalStateException().isThrownBy(single::block).withMessage("overloaded");

			assertFailedWith(context, "IllegalStateException");
		});
	}

	@Test
	void aFutureDeclaredAsObjectIsTimedToCompletion() {
		this.runner.run((context) -> {
			CompletableFuture<?> future = (CompletableFuture<?>) context.getBean(Models.class).anything("future");
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();

			assertThat(future.join()).isEqualTo("Hello there, friend");

			// the monitor's completion callback may run just after join() returns
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(meters(context).find("llm.request.duration").timer()).isNotNull());
			Timer timer = meters(context).get("llm.request.duration").tag("status", "success").timer();
			assertThat(timer.count()).isEqualTo(1);
			assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
				.isGreaterThanOrEqualTo(CHUNK_DELAY.toMillis());
			assertThat(outputTokens(context)).isEqualTo(4.0);
		});
	}

	@Test
	void aTextDeclaredAsObjectIsASingleResult() {
		this.runner.run((context) -> {
			assertThat(context.getBean(Models.class).anything("text")).isEqualTo("Hello there, friend");

			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timer().count())
				.isEqualTo(1);
			assertThat(outputTokens(context)).isEqualTo(4.0);
			assertThat(tracer(context).onlySpan().getTags()).containsEntry("gen_ai.request.stream", "false");
		});
	}

	@Test
	void aNonTextResultWithoutAnExtractorRecordsNoOutputTokens() {
		this.runner.run((context) -> {
			Models models = context.getBean(Models.class);
			assertThat(models.embed("hi")).containsExactly(0.1f, 0.2f, 0.3f);
			assertThat(models.embedAsync("hi").join()).containsExactly(0.1f, 0.2f, 0.3f);
			assertThat(models.dto().block()).isEqualTo(new Answer("hi"));

			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timers())
				.extracting(Timer::count)
				.containsExactlyInAnyOrder(2L, 1L);
			assertThat(meters(context).find(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter())
				.isNull();
			assertThat(tracer(context).getSpans())
				.allSatisfy((span) -> assertThat(span.getTags()).doesNotContainKey("gen_ai.usage.output_tokens"));
		});
	}

	@Test
	void aStreamOfNonTextElementsWithoutAnExtractorCountsOneTokenPerElement() {
		this.runner.run((context) -> {
			assertThat(context.getBean(Models.class).dtoStream().collectList().block()).hasSize(3);

			assertThat(outputTokens(context)).isEqualTo(3.0);
		});
	}

	@Test
	void anInheritedEndpointMethodIsNamedAfterEachTargetClass() {
		this.runner.run((context) -> {
			assertThat(context.getBean(AlphaBot.class).chat()).isEqualTo("alpha");
			assertThat(context.getBean(BetaBot.class).chat()).isEqualTo("beta");
			assertThat(context.getBean(BetaBot.class).chat()).isEqualTo("beta");

			assertThat(meters(context).get("llm.endpoint.duration").tag("endpoint", "AlphaBot.chat").timer().count())
				.isEqualTo(1);
			assertThat(meters(context).get("llm.endpoint.duration").tag("endpoint", "BetaBot.chat").timer().count())
				.isEqualTo(2);
		});
	}

	@Test
	void anInheritedLlmCallMethodTakesTheModelAndProviderOfEachTargetClass() {
		this.runner.run((context) -> {
			context.getBean(AlphaBot.class).complete();
			context.getBean(BetaBot.class).complete();
			context.getBean(BetaBot.class).complete();
			context.getBean(AlphaBot.class).complete();

			assertThat(meters(context).get("llm.request.duration")
				.tag("model", "alpha-model")
				.tag("provider", "alpha-provider")
				.timer()
				.count()).isEqualTo(2);
			assertThat(meters(context).get("llm.request.duration")
				.tag("model", "beta-model")
				.tag("provider", "beta-provider")
				.timer()
				.count()).isEqualTo(2);
		});
	}

	@Test
	void anInterfaceMethodImplementedByTwoClassesTakesTheAnnotationOfEach() {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=false").run((context) -> {
			context.getBean("alphaModel", ModelApi.class).complete();
			context.getBean("betaModel", ModelApi.class).complete();
			context.getBean("betaModel", ModelApi.class).complete();

			assertThat(meters(context).get("llm.request.duration").tag("model", "alpha-model").timer().count())
				.isEqualTo(1);
			assertThat(meters(context).get("llm.request.duration").tag("model", "beta-model").timer().count())
				.isEqualTo(2);
		});
	}

	@Test
	void anEndpointReturningAResponseEntityOfAFluxIsTimedUntilTheBodyCompletes() {
		this.runner.run((context) -> {
			ResponseEntity<Flux<String>> response = context.getBean(StreamingEndpoint.class).stream();
			assertThat(response.getHeaders().getFirst("X-Model")).isEqualTo("gpt-4o-mini");
			assertThat(meters(context).find("llm.endpoint.duration").timer()).isNull();

			assertThat(response.getBody().collectList().block()).hasSize(4);

			Timer endpoint = meters(context).get("llm.endpoint.duration").tag("endpoint", "chat.entity").timer();
			assertThat(endpoint.count()).isEqualTo(1);
			assertThat(endpoint.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
				.isGreaterThanOrEqualTo(4 * CHUNK_DELAY.toMillis());
			SimpleSpan endpointSpan = tracer(context).getSpans()
				.stream()
				.filter((span) -> span.getName().equals("chat.entity"))
				.findFirst()
				.orElseThrow();
			SimpleSpan llmSpan = tracer(context).getSpans()
				.stream()
				.filter((span) -> span.getName().equals("chat gpt-4o-mini"))
				.findFirst()
				.orElseThrow();
			assertThat(llmSpan.getParentId()).isEqualTo(endpointSpan.getSpanId());
		});
	}

	@Test
	void withoutSpringWebThereIsNoSupportForItsReturnValues() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WebAsyncManager.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(InvocationObserver.class);
				assertThat(context).doesNotHaveBean(WebDeferredReturnValueObserver.class);
			});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(WebDeferredReturnValueObserver.class));
	}

	private static void assertStreamTimedToCompletion(AssertableApplicationContext context) {
		Timer timer = meters(context).get("llm.request.duration").tag("status", "success").timer();
		assertThat(timer.count()).isEqualTo(1);
		// four chunks, each after a delay: the call lasts until the last one
		assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
			.isGreaterThanOrEqualTo(4 * CHUNK_DELAY.toMillis());
		assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(1);
		assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_PER_OUTPUT_TOKEN).timer().count())
			.isEqualTo(1);
		assertThat(meters(context).get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().count())
			.isEqualTo(1);
		// gpt-4o-mini uses o200k_base: "Hello", " there", ",", " friend"
		assertThat(outputTokens(context)).isEqualTo(4.0);
		SimpleSpan span = tracer(context).onlySpan();
		assertThat(span.getTags()).containsEntry("gen_ai.request.stream", "true")
			.containsKey("gen_ai.response.time_to_first_chunk");
	}

	private static void assertFailedWith(AssertableApplicationContext context, String errorType) {
		Timer timer = meters(context).get("llm.request.duration").timer();
		assertThat(timer.getId().getTag("status")).isEqualTo("error");
		assertThat(timer.getId().getTag("error_type")).isEqualTo(errorType);
		assertThat(timer.count()).isEqualTo(1);
		assertThat(tracer(context).onlySpan().getError()).isInstanceOf(IllegalStateException.class);
		assertThat(activeRequests(context)).isZero();
	}

	private static double outputTokens(AssertableApplicationContext context) {
		return meters(context).get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter().count();
	}

	private static MeterRegistry meters(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	private static SimpleTracer tracer(AssertableApplicationContext context) {
		return context.getBean(SimpleTracer.class);
	}

	private static double activeRequests(AssertableApplicationContext context) {
		return meters(context).get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value();
	}

	static Collection<SimpleSpan> spans(AssertableApplicationContext context) {
		return tracer(context).getSpans();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(SimpleTracingConfiguration.class)
	static class TestBeans {

		@Bean
		Models models() {
			return new Models();
		}

		@Bean
		AlphaBot alphaBot() {
			return new AlphaBot();
		}

		@Bean
		BetaBot betaBot() {
			return new BetaBot();
		}

		@Bean
		StreamingEndpoint streamingEndpoint(Models models) {
			return new StreamingEndpoint(models);
		}

		@Bean
		ModelApi alphaModel() {
			return new AlphaModel();
		}

		@Bean
		ModelApi betaModel() {
			return new BetaModel();
		}

	}

	static class Models {

		private static final List<String> CHUNKS = List.of("Hello", " there", ",", " friend");

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public Publisher<String> publisher() {
			return Flux.fromIterable(CHUNKS).delayElements(CHUNK_DELAY);
		}

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public Publisher<String> failingPublisher() {
			return Flux.just("Hello").concatWith(Mono.error(new IllegalStateException("overloaded")));
		}

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public CorePublisher<String> corePublisher() {
			return Mono.just("Hello there, friend").delayElement(CHUNK_DELAY);
		}

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public Object anything(String kind) {
			return switch (kind) {
				case "flux" -> Flux.fromIterable(CHUNKS).delayElements(CHUNK_DELAY);
				case "failing mono" -> Mono.error(new IllegalStateException("overloaded"));
				case "future" -> CompletableFuture.supplyAsync(() -> "Hello there, friend",
						CompletableFuture.delayedExecutor(CHUNK_DELAY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
				default -> "Hello there, friend";
			};
		}

		@MonitoredLlmCall(model = "text-embedding-3-small", provider = "openai", operation = "embeddings")
		public float[] embed(String text) {
			return new float[] { 0.1f, 0.2f, 0.3f };
		}

		@MonitoredLlmCall(model = "text-embedding-3-small", provider = "openai", operation = "embeddings")
		public CompletableFuture<float[]> embedAsync(String text) {
			return CompletableFuture.completedFuture(new float[] { 0.1f, 0.2f, 0.3f });
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Mono<Answer> dto() {
			return Mono.just(new Answer("hi"));
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Flux<Answer> dtoStream() {
			return Flux.just(new Answer("a"), new Answer("b"), new Answer("c"));
		}

	}

	record Answer(String text) {
	}

	static class StreamingEndpoint {

		private final Models models;

		StreamingEndpoint(Models models) {
			this.models = models;
		}

		@MonitoredEndpoint("chat.entity")
		@SuppressWarnings("unchecked")
		public ResponseEntity<Flux<String>> stream() {
			return ResponseEntity.ok()
				.header("X-Model", "gpt-4o-mini")
				.body(Flux.defer(() -> Flux.from(this.models.publisher())));
		}

	}

	abstract static class ChatBotBase {

		@MonitoredEndpoint
		public String chat() {
			return name();
		}

		@MonitoredLlmCall(model = "#root.model", provider = "#root.provider")
		public String complete() {
			return name();
		}

		public String getModel() {
			return name() + "-model";
		}

		public String getProvider() {
			return name() + "-provider";
		}

		abstract String name();

	}

	static class AlphaBot extends ChatBotBase {

		@Override
		String name() {
			return "alpha";
		}

	}

	static class BetaBot extends ChatBotBase {

		@Override
		String name() {
			return "beta";
		}

	}

	interface ModelApi {

		String complete();

	}

	static class AlphaModel implements ModelApi {

		@Override
		@MonitoredLlmCall(model = "alpha-model", provider = "acme")
		public String complete() {
			return "alpha";
		}

	}

	static class BetaModel implements ModelApi {

		@Override
		@MonitoredLlmCall(model = "beta-model", provider = "acme")
		public String complete() {
			return "beta";
		}

	}

}
