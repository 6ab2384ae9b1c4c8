package io.llmmonitor.aop;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.autoconfigure.LlmMonitorAopAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorTracingAutoConfiguration;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.LlmCallEvent;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code @MonitoredLlmCall} and {@code @MonitoredEndpoint} through the auto-configured aspect,
 * with Spring Boot's own observation, metrics and tracing auto-configuration.
 */
@ExtendWith(OutputCaptureExtension.class)
class MonitoringAspectTests {

	/**
	 * Spring Boot's observation, metrics, tracing and AOP auto-configuration with llm-monitor's,
	 * as an application with the starter has them (a test adds its tracer).
	 */
	static final AutoConfigurations BOOT_AND_LLM_MONITOR = AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
				ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, AopAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class,
				LlmMonitorAopAutoConfiguration.class);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(BOOT_AND_LLM_MONITOR)
		.withUserConfiguration(TestBeans.class)
		.withPropertyValues("test.model=gpt-4o-mini");

	@Test
	void blockingCallIsTimedTaggedAndCountedWithPlaceholdersResolved() {
		this.runner.run((context) -> {
			assertThat(context.getBean(LlmClient.class).complete("hi")).isEqualTo("Hello there, friend");

			Timer timer = meters(context).get("llm.request.duration").timer();
			assertThat(timer.getId().getTags()).extracting("key", "value")
				.contains(org.assertj.core.groups.Tuple.tuple("model", "gpt-4o-mini"),
						org.assertj.core.groups.Tuple.tuple("provider", "openai"),
						org.assertj.core.groups.Tuple.tuple("operation", "chat"),
						org.assertj.core.groups.Tuple.tuple("status", "success"),
						org.assertj.core.groups.Tuple.tuple("error_type", "none"));
			assertThat(timer.count()).isEqualTo(1);
			// gpt-4o-mini uses o200k_base: "Hello", " there", ",", " friend"
			assertThat(meters(context).get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter().count())
				.isEqualTo(4.0);
			SimpleSpan span = tracer(context).onlySpan();
			assertThat(span.getName()).isEqualTo("chat gpt-4o-mini");
			assertThat(span.getKind()).isEqualTo(Span.Kind.CLIENT);
			assertThat(span.getTags()).containsEntry("gen_ai.operation.name", "chat")
				.containsEntry("gen_ai.provider.name", "openai")
				.containsEntry("gen_ai.request.model", "gpt-4o-mini")
				.containsEntry("gen_ai.request.stream", "false")
				.containsEntry("gen_ai.usage.output_tokens", "4");
		});
	}

	@Test
	void expressionAttributesAreEvaluatedOnEveryCall() {
		this.runner.run((context) -> {
			LlmClient client = context.getBean(LlmClient.class);
			client.ask(new Question("llama-3.1-8b", "hi"));
			client.ask(new Question("mistral-large", "hi"));
			client.ask(new Question("mistral-large", "again"));

			assertThat(meters(context).get("llm.request.duration").tag("model", "llama-3.1-8b").timer().count())
				.isEqualTo(1);
			assertThat(meters(context).get("llm.request.duration").tag("model", "mistral-large").timer().count())
				.isEqualTo(2);
			assertThat(tracer(context).getSpans()).extracting(SimpleSpan::getName)
				.containsExactlyInAnyOrder("chat llama-3.1-8b", "chat mistral-large", "chat mistral-large");
		});
	}

	@Test
	void aBrokenExpressionLeavesTheCallRunning() {
		this.runner.run((context) -> {
			assertThat(context.getBean(LlmClient.class).askBroken(new Question("x", "hi"))).isEqualTo("answer");

			assertThat(meters(context).get("llm.request.duration").tag("model", "unknown").timer().count())
				.isEqualTo(1);
		});
	}

	@Test
	void anUnresolvablePlaceholderLeavesTheCallRunningUnmonitored() {
		this.runner.run((context) -> {
			assertThat(context.getBean(LlmClient.class).unresolvable()).isEqualTo("answer");
			assertThat(context.getBean(ChatEndpoint.class).unresolvable()).isEqualTo("answer");

			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
			assertThat(meters(context).find("llm.endpoint.duration").timer()).isNull();
		});
	}

	@Test
	void exceptionPropagatesUnchangedAndIsRecorded() {
		this.runner.run((context) -> {
			assertThatIllegalStateException().isThrownBy(() -> context.getBean(LlmClient.class).fail())
				.withMessage("rate limited");

			Timer timer = meters(context).get("llm.request.duration").timer();
			assertThat(timer.getId().getTag("status")).isEqualTo("error");
			assertThat(timer.getId().getTag("error_type")).isEqualTo("IllegalStateException");
			SimpleSpan span = tracer(context).onlySpan();
			assertThat(span.getError()).isInstanceOf(IllegalStateException.class);
			assertThat(span.getTags()).containsEntry("error.type", "java.lang.IllegalStateException");
		});
	}

	@Test
	void completableFutureIsTimedToCompletion() {
		this.runner.run((context) -> {
			CompletableFuture<String> pending = new CompletableFuture<>();
			CompletableFuture<String> returned = context.getBean(LlmClient.class).async(pending);

			assertThat(returned).isSameAs(pending);
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
			assertThat(activeRequests(context)).isEqualTo(1.0);
			pending.complete("done");
			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timer().count())
				.isEqualTo(1);
			assertThat(activeRequests(context)).isZero();
		});
	}

	@Test
	void cancelledFutureIsRecordedAsCancelled() {
		this.runner.run((context) -> {
			CompletableFuture<String> pending = new CompletableFuture<>();
			context.getBean(LlmClient.class).async(pending).cancel(true);

			assertThat(meters(context).get("llm.request.duration").tag("status", "cancelled").timer().count())
				.isEqualTo(1);
		});
	}

	@Test
	void failedFutureIsRecordedWithTheCauseType() {
		this.runner.run((context) -> {
			CompletableFuture<String> pending = new CompletableFuture<>();
			context.getBean(LlmClient.class).async(pending);
			pending.completeExceptionally(new java.util.concurrent.TimeoutException("read timeout"));

			assertThat(meters(context).get("llm.request.duration").tag("error_type", "TimeoutException").timer().count())
				.isEqualTo(1);
		});
	}

	@Test
	void fluxIsAStreamMeasuredFromSubscription() {
		this.runner.run((context) -> {
			Flux<String> stream = context.getBean(LlmClient.class).stream();
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();

			assertThat(stream.collectList().block()).containsExactly("Hel", "lo", " world");

			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timer().count())
				.isEqualTo(1);
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
				.isEqualTo(1);
			SimpleSpan span = tracer(context).onlySpan();
			assertThat(span.getTags()).containsEntry("gen_ai.request.stream", "true")
				.containsKey("gen_ai.response.time_to_first_chunk");
			assertThat(span.getEvents()).extracting(Map.Entry::getValue).containsExactly(LlmCallEvent.FIRST_TOKEN);
		});
	}

	@Test
	void monoIsASingleResult() {
		this.runner.run((context) -> {
			assertThat(context.getBean(LlmClient.class).mono().block()).isEqualTo("single answer");

			assertThat(meters(context).get("llm.request.duration").tag("status", "success").timer().count())
				.isEqualTo(1);
			assertThat(meters(context).find(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()).isNull();
			assertThat(tracer(context).onlySpan().getTags()).containsEntry("gen_ai.request.stream", "false");
		});
	}

	@Test
	void llmSpanIsAChildOfTheBlockingEndpointSpan() {
		this.runner.run((context) -> {
			context.getBean(ChatEndpoint.class).chat();

			Collection<SimpleSpan> spans = tracer(context).getSpans();
			SimpleSpan endpoint = span(spans, "ChatEndpoint.chat");
			SimpleSpan llm = span(spans, "chat gpt-4o-mini");
			assertThat(llm.getParentId()).isEqualTo(endpoint.getSpanId());
			assertThat(llm.getTraceId()).isEqualTo(endpoint.getTraceId());
			Timer endpointTimer = meters(context).get("llm.endpoint.duration").timer();
			assertThat(endpointTimer.getId().getTag("endpoint")).isEqualTo("ChatEndpoint.chat");
			assertThat(endpointTimer.getId().getTag("status")).isEqualTo("success");
		});
	}

	@Test
	void llmSpanIsAChildOfTheReactiveEndpointSpan() {
		this.runner.run((context) -> {
			assertThat(context.getBean(ChatEndpoint.class).stream().collectList().block()).hasSize(3);

			Collection<SimpleSpan> spans = tracer(context).getSpans();
			SimpleSpan endpoint = span(spans, "chat.stream");
			SimpleSpan llm = span(spans, "chat gpt-4o");
			assertThat(llm.getParentId()).isEqualTo(endpoint.getSpanId());
			assertThat(meters(context).get("llm.endpoint.duration").tag("endpoint", "chat.stream").timer().count())
				.isEqualTo(1);
		});
	}

	/**
	 * Spring MVC subscribes to a returned {@code Flux} on the request thread, inside the HTTP
	 * server span's scope; micrometer-tracing prefers that current span to the parent observation's
	 * unless the parent is put in scope while the child starts.
	 */
	@Test
	void llmSpanIsAChildOfTheReactiveEndpointSpanWhenSubscribedInsideTheRequestSpan() {
		this.runner.run((context) -> {
			Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
			try (Observation.Scope scope = request.openScope()) {
				assertThat(context.getBean(ChatEndpoint.class).stream().collectList().block()).hasSize(3);
			}
			request.stop();

			Collection<SimpleSpan> spans = tracer(context).getSpans();
			SimpleSpan server = span(spans, "http.server.requests");
			SimpleSpan endpoint = span(spans, "chat.stream");
			SimpleSpan llm = span(spans, "chat gpt-4o");
			assertThat(endpoint.getParentId()).isEqualTo(server.getSpanId());
			assertThat(llm.getParentId()).isEqualTo(endpoint.getSpanId());
		});
	}

	@Test
	void programmaticApiAddsEventsAndAttributesToTheCurrentCall() {
		this.runner.run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			context.getBean(LlmClient.class).withRetrieval(monitor);

			SimpleSpan span = tracer(context).onlySpan();
			assertThat(span.getEvents()).extracting(Map.Entry::getValue).containsExactly("retrieval.done");
			assertThat(span.getTags()).containsEntry("app.documents", "3");
			assertThat(meters(context).get("llm.request.duration").timer().getId().getTag("app.documents")).isNull();
		});
	}

	@Test
	void noContentInMetricsSpansOrLogsByDefault(CapturedOutput output) {
		this.runner.withPropertyValues("llm.monitor.slow-request-threshold=1ns").run((context) -> {
			context.getBean(LlmClient.class).secret();
			context.getBean(LlmClient.class).stream().blockLast();

			SimpleSpan span = tracer(context).getSpans().getFirst();
			assertThat(span.getTags()).doesNotContainKeys("gen_ai.input.messages", "gen_ai.output.messages");
			assertThat(span.getTags().values()).noneMatch((value) -> value.contains("confidential"));
			assertThat(meters(context).getMeters()).allSatisfy((meter) -> assertThat(meter.getId().toString())
				.doesNotContain("confidential").doesNotContain("Hel"));
			assertThat(output).contains("Slow LLM call").doesNotContain("confidential");
		});
	}

	@Test
	void capturedContentIsRedactedAndCut() {
		this.runner
			.withPropertyValues("llm.monitor.capture-content.enabled=true", "llm.monitor.capture-content.max-length=60",
					"llm.monitor.capture-content.redact-patterns=project-\\w+")
			.run((context) -> {
				context.getBean(LlmClient.class).secret();

				Map<String, String> tags = tracer(context).onlySpan().getTags();
				assertThat(tags.get("gen_ai.input.messages")).contains("\"role\":\"user\"", "summarize [REDACTED]");
				assertThat(tags.get("gen_ai.output.messages")).contains("\"role\":\"assistant\"",
						"confidential plan, key [REDACTED] for [REDACTED]").doesNotContain("sk-live", "project-x");
			});
	}

	@Test
	void disabledMonitoringLeavesMethodsUntouched() {
		this.runner.withPropertyValues("llm.monitor.enabled=false").run((context) -> {
			assertThat(context.getBean(LlmClient.class).complete("hi")).isEqualTo("Hello there, friend");
			assertThat(context.getBean(ChatEndpoint.class).stream().collectList().block()).hasSize(3);
			assertThat(meters(context).find("llm.request.duration").timer()).isNull();
			assertThat(meters(context).find("llm.endpoint.duration").timer()).isNull();
		});
	}

	/** The one span of this name. */
	static SimpleSpan span(Collection<SimpleSpan> spans, String name) {
		List<SimpleSpan> matching = spans.stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(matching).as("spans named %s among %s", name, spans).hasSize(1);
		return matching.get(0);
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

	@Configuration(proxyBeanMethods = false)
	@Import(SimpleTracingConfiguration.class)
	static class TestBeans {

		@Bean
		LlmClient llmClient() {
			return new LlmClient();
		}

		@Bean
		ChatEndpoint chatEndpoint(LlmClient llmClient) {
			return new ChatEndpoint(llmClient);
		}

	}

	static class LlmClient {

		@org.springframework.beans.factory.annotation.Autowired(required = false)
		LlmMonitor monitor;

		@MonitoredLlmCall(model = "${test.model}", provider = "openai")
		public String complete(String prompt) {
			return "Hello there, friend";
		}

		@MonitoredLlmCall(model = "#request.model", provider = "openai")
		public String ask(Question request) {
			return "answer";
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public String secret() {
			io.llmmonitor.call.CurrentLlmCall call = this.monitor.currentCall().orElseThrow();
			call.prompt("summarize project-x");
			return "confidential plan, key sk-live-0123456789abcdefghij for project-x";
		}

		@MonitoredLlmCall(model = "${no.such.property}", provider = "openai")
		public String unresolvable() {
			return "answer";
		}

		@MonitoredLlmCall(model = "#request.noSuchProperty", provider = "openai")
		public String askBroken(Question request) {
			return "answer";
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public String fail() {
			throw new IllegalStateException("rate limited");
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public CompletableFuture<String> async(CompletableFuture<String> pending) {
			return pending;
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Flux<String> stream() {
			return Flux.just("Hel", "lo", " world");
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Mono<String> mono() {
			return Mono.just("single answer");
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public String withRetrieval(LlmMonitor monitor) {
			monitor.currentCall().orElseThrow().event("retrieval.done").attribute("app.documents", "3");
			return "answer";
		}

	}

	record Question(String model, String prompt) {
	}

	static class ChatEndpoint {

		private final LlmClient client;

		ChatEndpoint(LlmClient client) {
			this.client = client;
		}

		@MonitoredEndpoint
		public String chat() {
			return this.client.complete("hello");
		}

		@MonitoredEndpoint("${no.such.endpoint}")
		public String unresolvable() {
			return "answer";
		}

		@MonitoredEndpoint("chat.stream")
		public Flux<String> stream() {
			return Flux.defer(this.client::stream);
		}

	}

}
