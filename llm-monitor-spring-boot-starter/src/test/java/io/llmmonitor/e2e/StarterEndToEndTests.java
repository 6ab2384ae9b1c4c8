package io.llmmonitor.e2e;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.llmmonitor.e2e.OtlpTraceReceiver.attribute;
import static io.llmmonitor.e2e.OtlpTraceReceiver.sampleValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Boots an application with the starter, calls annotated methods over HTTP, scrapes
 * {@code /actuator/prometheus} and receives the exported spans over OTLP/HTTP.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=health,prometheus,llm",
				"management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=100ms", "spring.application.name=chat-e2e",
				"llm.monitor.pricing.gpt-4o.input=2.50", "llm.monitor.pricing.gpt-4o.output=10.00",
				"llm.monitor.call-log.enabled=true", "management.endpoint.health.show-details=always" })
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureWebTestClient
class StarterEndToEndTests {

	private static final OtlpTraceReceiver receiver = OtlpTraceReceiver.start();

	@Autowired
	private WebTestClient client;

	@DynamicPropertySource
	static void otlpEndpoint(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", receiver::endpoint);
	}

	@AfterAll
	static void stopReceiver() {
		receiver.close();
	}

	@Test
	void metricsAtActuatorPrometheusAndGenAiSpansOverOtlp(CapturedOutput output) {
		List<String> streamed = this.client.get()
			.uri("/chat/stream?prompt=hi")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(streamed).hasSize(8);
		this.client.get().uri("/chat?prompt=hi").exchange().expectStatus().isOk().expectBody(String.class)
			.isEqualTo("A complete answer.");
		this.client.get().uri("/chat/failing?prompt=hi").exchange().expectStatus().isOk().expectBody(String.class)
			.isEqualTo("fallback");

		assertMetrics(scrape("text/plain"));
		assertSummaryEndpoint();
		assertExemplars(scrape("application/openmetrics-text; version=1.0.0"));
		Span streamedCall = assertSpans();
		assertCallLog(output, streamedCall);
	}

	/** {@code /actuator/llm}: the same figures as JSON, by model. */
	private void assertSummaryEndpoint() {
		this.client.get()
			.uri("/actuator/llm")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.models[?(@.model == 'gpt-4o')].calls.success").isEqualTo(List.of(1))
			.jsonPath("$.models[?(@.model == 'gpt-4o')].calls.error").isEqualTo(List.of(1))
			.jsonPath("$.models[?(@.model == 'gpt-4o')].tokens.input").isEqualTo(List.of(11))
			.jsonPath("$.models[?(@.model == 'gpt-4o')].tokens.output").isEqualTo(List.of(8))
			// tagged by model and provider only: reported once, beside the operations, not in them
			.jsonPath("$.models[0].timeToFirstTokenSeconds").doesNotExist()
			.jsonPath("$.generation[?(@.model == 'gpt-4o')].provider").isEqualTo(List.of("openai"))
			.jsonPath("$.generation[?(@.model == 'gpt-4o')].timeToFirstTokenSeconds.count").isEqualTo(List.of(1));
		this.client.get()
			.uri("/actuator/llm/claude-sonnet-4")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.models.length()").isEqualTo(1)
			.jsonPath("$.models[0].provider").isEqualTo("anthropic")
			.jsonPath("$.models[0].calls.success").isEqualTo(1)
			.jsonPath("$.models[0].costUsd").doesNotExist();
		this.client.get().uri("/actuator/llm/no-such-model").exchange().expectStatus().isNotFound();
		// one failed call of gpt-4o after a success: not failing
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody()
			.jsonPath("$.components.llm.status").isEqualTo("UP")
			.jsonPath("$.components.llm.details.models['openai/gpt-4o'].consecutiveFailures").isEqualTo(1);
	}

	/** The call's log line leads to its span: same trace id and span id as exported. */
	private static void assertCallLog(CapturedOutput output, Span llm) {
		String traceId = HexFormat.of().formatHex(llm.getTraceId().toByteArray());
		String spanId = HexFormat.of().formatHex(llm.getSpanId().toByteArray());
		assertThat(output.getOut().lines().filter((line) -> line.contains("llm_call operation=chat model=gpt-4o ")
				&& line.contains(" stream=true ")))
			.singleElement()
			.asString()
			.contains("io.llmmonitor.calls", "status=success", "input_tokens=11 output_tokens=8",
					"cost_usd=0.000108", "trace_id=" + traceId + " span_id=" + spanId);
	}

	private void assertMetrics(String scrape) {
		String stream = "model=\"gpt-4o\",operation=\"chat\",provider=\"openai\"";
		// the per-token distributions are tagged without the operation
		String model = "model=\"gpt-4o\",provider=\"openai\"";
		assertThat(scrape).contains("# TYPE llm_request_duration_seconds histogram")
			.contains("llm_request_duration_seconds_bucket{error_type=\"none\"," + stream
					+ ",status=\"success\",le=\"0.01\"}")
			.contains("llm_request_duration_seconds_bucket{error_type=\"none\"," + stream
					+ ",status=\"success\",le=\"327.68\"} 1")
			.doesNotContainPattern("llm_(request|endpoint)_duration_seconds_[a-z]+\\{error=")
			.containsPattern("llm_request_duration_seconds_count\\{[^}]*error_type=\"IllegalStateException\""
					+ "[^}]*model=\"gpt-4o\"[^}]*status=\"error\"[^}]*} 1")
			// a failed call's duration has the one bucket le="+Inf"
			.containsPattern("llm_request_duration_seconds_bucket\\{[^}]*model=\"gpt-4o\"[^}]*status=\"error\",le=\"\\+Inf\"} 1")
			.doesNotContainPattern("llm_request_duration_seconds_bucket\\{[^}]*status=\"error\",le=\"[0-9]")
			.containsPattern("llm_request_duration_seconds_count\\{[^}]*model=\"claude-sonnet-4\"[^}]*provider=\"anthropic\""
					+ "[^}]*status=\"success\"[^}]*} 1")
			.contains("# TYPE llm_time_to_first_token_seconds histogram")
			.contains("llm_time_to_first_token_seconds_count{" + model + "} 1")
			.contains("llm_time_to_first_token_seconds_bucket{" + model + ",le=\"0.001\"}")
			.contains("llm_time_per_output_token_seconds_count{" + model + "} 1")
			.contains("llm_token_generation_rate_count{" + model + "} 1")
			.doesNotContain("llm_token_generation_rate_bucket")
			.contains("llm_tokens_total{" + stream + ",type=\"input\"} 11.0")
			.contains("llm_tokens_total{" + stream + ",type=\"output\"} 8.0")
			.contains("llm_active_requests{" + stream + "} 0.0")
			.containsPattern("llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"chat.stream\"[^}]*status=\"success\"[^}]*} 1")
			.containsPattern("llm_endpoint_duration_seconds_count\\{[^}]*endpoint=\"ChatController.chat\"[^}]*} 1");
		// 11 input tokens at 2.50 USD and 8 output tokens at 10.00 USD per million; claude-sonnet-4 has no price
		assertThat(sampleValue(scrape, "llm_cost_usd_total{" + stream + ",type=\"input\"}")).isCloseTo(11 * 2.5e-6,
				within(1e-12));
		assertThat(sampleValue(scrape, "llm_cost_usd_total{" + stream + ",type=\"output\"}")).isCloseTo(8 * 10e-6,
				within(1e-12));
		assertThat(scrape).doesNotContainPattern("llm_cost_usd_total\\{[^}]*claude");
	}

	private String scrape(String format) {
		return this.client.get()
			.uri("/actuator/prometheus")
			.header("Accept", format)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Latency buckets link to the trace of a call that fell in them; a failed call, whose duration
	 * has the one bucket {@code +Inf}, links to its trace from {@code llm_errors_total} (the
	 * dashboard's error panel) and from that bucket.
	 */
	private void assertExemplars(String openMetrics) {
		String exemplar = " # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"[0-9a-f]{32}\"\\}";
		for (String histogram : List.of("llm_request_duration_seconds", "llm_time_to_first_token_seconds",
				"llm_time_per_output_token_seconds")) {
			assertThat(openMetrics).as(histogram)
				.containsPattern(histogram + "_bucket\\{[^}]*model=\"gpt-4o\"[^}]*\\} 1" + exemplar);
		}
		assertThat(openMetrics).as("llm_errors_total")
			.containsPattern("llm_errors_total\\{[^}]*model=\"gpt-4o\"[^}]*\\} 1.0" + exemplar);
		assertThat(openMetrics).as("the failed call's one bucket")
			.containsPattern("llm_request_duration_seconds_bucket\\{[^}]*model=\"gpt-4o\"[^}]*status=\"error\",le=\"\\+Inf\"\\} 1"
					+ exemplar);
	}

	/** Checks the exported spans; returns the streamed LLM call's. */
	private Span assertSpans() {
		// spans arrive in batches: wait for every one this test looks at
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			assertThat(receiver.spans()).extracting(Span::getName)
				.contains("chat claude-sonnet-4", "chat.stream", "chat.failing", "ChatController.chat");
			assertThat(receiver.spans()).filteredOn((span) -> span.getName().equals("chat gpt-4o")).hasSize(2);
		});
		List<Span> spans = receiver.spans();
		Map<ByteString, Span> byId = spans.stream()
			.collect(Collectors.toMap(Span::getSpanId, Function.identity(), (first, second) -> first));

		Span llm = spans.stream().filter((span) -> span.getName().equals("chat gpt-4o")
				&& attribute(span, "gen_ai.request.stream").map(AnyValue::getBoolValue).orElse(false))
			.findFirst()
			.orElseThrow();
		assertThat(llm.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
		assertThat(llm.getAttributesList()).extracting(KeyValue::getKey).doesNotHaveDuplicates();
		assertThat(attribute(llm, "gen_ai.operation.name")).map(AnyValue::getStringValue).hasValue("chat");
		assertThat(attribute(llm, "gen_ai.provider.name")).map(AnyValue::getStringValue).hasValue("openai");
		assertThat(attribute(llm, "gen_ai.request.model")).map(AnyValue::getStringValue).hasValue("gpt-4o");
		assertThat(attribute(llm, "gen_ai.usage.input_tokens")).map(AnyValue::getIntValue).hasValue(11L);
		assertThat(attribute(llm, "gen_ai.usage.output_tokens")).map(AnyValue::getIntValue).hasValue(8L);
		assertThat(attribute(llm, "llm.cost.usd")).map(AnyValue::getDoubleValue)
			.hasValueSatisfying((usd) -> assertThat(usd).isCloseTo(11 * 2.5e-6 + 8 * 10e-6, within(1e-12)));
		assertThat(attribute(llm, "gen_ai.response.time_to_first_chunk")).map(AnyValue::getDoubleValue)
			.hasValueSatisfying((seconds) -> assertThat(seconds).isGreaterThan(0.0).isLessThan(5.0));
		assertThat(attribute(llm, "gen_ai.response.finish_reasons"))
			.map((value) -> value.getArrayValue().getValues(0).getStringValue())
			.hasValue("stop");
		assertThat(llm.getEventsList()).extracting(Span.Event::getName).contains("gen_ai.first_token");

		Span endpoint = byId.get(llm.getParentSpanId());
		assertThat(endpoint).as("parent of the LLM span").isNotNull();
		assertThat(endpoint.getName()).isEqualTo("chat.stream");
		Span server = byId.get(endpoint.getParentSpanId());
		assertThat(server).as("parent of the endpoint span").isNotNull();
		assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
		assertThat(server.getTraceId()).isEqualTo(llm.getTraceId());

		Span failed = spans.stream()
			.filter((span) -> span.getName().equals("chat gpt-4o") && span != llm
					&& span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
			.findFirst()
			.orElseThrow();
		assertThat(attribute(failed, "error.type")).map(AnyValue::getStringValue).hasValue("java.lang.IllegalStateException");
		return llm;
	}

}
