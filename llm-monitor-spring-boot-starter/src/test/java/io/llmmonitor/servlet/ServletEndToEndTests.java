package io.llmmonitor.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.e2e.OtlpTraceReceiver;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static io.llmmonitor.e2e.OtlpTraceReceiver.attribute;
import static io.llmmonitor.e2e.OtlpTraceReceiver.sampleValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a Spring MVC application on Tomcat, the most common kind: a blocking LLM call,
 * a {@code Mono} and a {@code Flux} streamed as server-sent events by Spring MVC. Checks the scrape and the
 * trace tree received over OTLP: HTTP server span, then the endpoint span, then the LLM span,
 * with the streaming endpoint timed until its stream completes.
 */
@SpringBootTest(classes = ServletEndToEndTests.ServletChatApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=servlet",
				"management.endpoints.web.exposure.include=prometheus",
				"management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=100ms", "spring.application.name=chat-mvc" })
class ServletEndToEndTests {

	private static final int STREAMED_CHUNKS = 6;

	private static final OtlpTraceReceiver receiver = OtlpTraceReceiver.start();

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void otlpEndpoint(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::endpoint);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void blockingAndStreamedCallsOfASpringMvcApplication() throws Exception {
		assertThat(get("/chat?prompt=hi")).isEqualTo("A blocking answer.");
		assertThat(get("/chat/mono?prompt=hi")).isEqualTo("A reactive answer.");
		assertThat(get("/chat/stream?prompt=hi").lines().filter((line) -> line.startsWith("data:")))
			.hasSize(STREAMED_CHUNKS);

		String scrape = get("/actuator/prometheus");
		String blocking = "model=\"gpt-4o-mini\",operation=\"chat\",provider=\"openai\"";
		String streamed = "model=\"gpt-4o\",operation=\"chat\",provider=\"openai\"";
		// the per-token distributions are tagged without the operation
		String streamedModel = "model=\"gpt-4o\",provider=\"openai\"";
		assertThat(scrape)
			.contains("llm_request_duration_seconds_count{error_type=\"none\"," + blocking + ",status=\"success\"} 1")
			.contains("llm_request_duration_seconds_count{error_type=\"none\"," + streamed + ",status=\"success\"} 1")
			.contains("llm_time_to_first_token_seconds_count{" + streamedModel + "} 1")
			.contains("llm_token_generation_rate_count{" + streamedModel + "} 1")
			.doesNotContain("llm_time_to_first_token_seconds_count{model=\"gpt-4o-mini\"")
			.contains("llm_active_requests{" + streamed + "} 0.0")
			.containsPattern("llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"chat\"[^}]*status=\"success\"[^}]*} 1")
			.containsPattern(
					"llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"chat.stream\"[^}]*status=\"success\"[^}]*} 1");
		assertThat(sampleValue(scrape, "llm_tokens_total{" + streamed + ",type=\"output\"}")).isPositive();

		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(receiver.spans())
			.extracting(Span::getName)
			.contains("chat gpt-4o-mini", "chat gpt-4o", "chat claude-sonnet-4", "chat", "chat.stream", "chat.mono"));
		List<Span> spans = receiver.spans();
		Map<ByteString, Span> byId = spans.stream()
			.collect(Collectors.toMap(Span::getSpanId, Function.identity(), (first, second) -> first));

		Span blockingCall = assertUnderEndpointAndServerSpan(spans, byId, "chat gpt-4o-mini", "chat");
		assertThat(attribute(blockingCall, "gen_ai.request.stream")).map(AnyValue::getBoolValue).hasValue(false);
		assertThat(attribute(blockingCall, "gen_ai.usage.output_tokens")).map(AnyValue::getIntValue)
			.hasValueSatisfying((tokens) -> assertThat(tokens).isPositive());

		assertUnderEndpointAndServerSpan(spans, byId, "chat claude-sonnet-4", "chat.mono");

		Span streamedCall = assertUnderEndpointAndServerSpan(spans, byId, "chat gpt-4o", "chat.stream");
		assertThat(attribute(streamedCall, "gen_ai.request.stream")).map(AnyValue::getBoolValue).hasValue(true);
		assertThat(attribute(streamedCall, "gen_ai.response.time_to_first_chunk")).map(AnyValue::getDoubleValue)
			.hasValueSatisfying((seconds) -> assertThat(seconds).isPositive());
		assertThat(attribute(streamedCall, "gen_ai.usage.output_tokens")).map(AnyValue::getIntValue)
			.hasValue((long) sampleValue(scrape, "llm_tokens_total{" + streamed + ",type=\"output\"}"));
		// Spring MVC writes the stream asynchronously: the endpoint is timed until it completes
		Span streamingEndpoint = byId.get(streamedCall.getParentSpanId());
		assertThat(streamingEndpoint.getEndTimeUnixNano()).isGreaterThanOrEqualTo(streamedCall.getEndTimeUnixNano());
	}

	private static Span assertUnderEndpointAndServerSpan(List<Span> spans, Map<ByteString, Span> byId, String name,
			String endpointName) {
		Span call = spans.stream().filter((span) -> span.getName().equals(name)).findFirst().orElseThrow();
		assertThat(call.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
		Span endpoint = byId.get(call.getParentSpanId());
		assertThat(endpoint).as("parent of %s", name).isNotNull();
		assertThat(endpoint.getName()).isEqualTo(endpointName);
		Span server = byId.get(endpoint.getParentSpanId());
		assertThat(server).as("parent of %s", endpointName).isNotNull();
		assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
		assertThat(server.getTraceId()).isEqualTo(call.getTraceId());
		return call;
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
					.timeout(Duration.ofSeconds(10))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	/** Nested in a test class, its components are not scanned: imported instead. */
	@SpringBootApplication
	@Import({ ModelClient.class, ChatController.class })
	static class ServletChatApplication {

	}

	@Service
	static class ModelClient {

		@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
		public String complete(String prompt) throws InterruptedException {
			Thread.sleep(10);
			return "A blocking answer.";
		}

		@MonitoredLlmCall(model = "claude-sonnet-4", provider = "anthropic")
		public Mono<String> completeReactively(String prompt) {
			return Mono.delay(Duration.ofMillis(5)).thenReturn("A reactive answer.");
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Flux<String> stream(String prompt) {
			return Flux.range(0, STREAMED_CHUNKS).delayElements(Duration.ofMillis(5)).map((i) -> " token" + i);
		}

	}

	@RestController
	static class ChatController {

		private final ModelClient client;

		ChatController(ModelClient client) {
			this.client = client;
		}

		@MonitoredEndpoint("chat")
		@GetMapping("/chat")
		public String chat(@RequestParam String prompt) throws InterruptedException {
			return this.client.complete(prompt);
		}

		@MonitoredEndpoint("chat.mono")
		@GetMapping("/chat/mono")
		public Mono<String> chatReactively(@RequestParam String prompt) {
			return this.client.completeReactively(prompt);
		}

		@MonitoredEndpoint("chat.stream")
		@GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		public Flux<String> stream(@RequestParam String prompt) {
			return this.client.stream(prompt);
		}

	}

}
