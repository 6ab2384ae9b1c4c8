package io.llmmonitor.e2e;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.llmmonitor.e2e.OtlpTraceReceiver.attribute;
import static io.llmmonitor.e2e.OtlpTraceReceiver.sampleValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Feedback through the {@code llmfeedback} actuator endpoint, with the OpenTelemetry bridge: the
 * rated call is found by its trace id, the score is scraped by model, and the exported span
 * {@code llm feedback} carries an OpenTelemetry link to the call's span.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"management.endpoints.web.exposure.include=prometheus,llmfeedback",
				"management.endpoint.llmfeedback.access=unrestricted", "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=100ms", "spring.application.name=feedback-e2e" })
@AutoConfigureWebTestClient
class FeedbackEndToEndTests {

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
	void feedbackByTraceIdIsScrapedByModelAndLinkedToTheCallsSpan() {
		this.client.get().uri("/chat?prompt=hi").exchange().expectStatus().isOk();
		Span call = await().atMost(Duration.ofSeconds(15))
			.until(() -> receiver.spans().stream().filter((span) -> span.getName().equals("chat claude-sonnet-4")).findFirst(),
					(found) -> found.isPresent())
			.orElseThrow();
		String traceId = HexFormat.of().formatHex(call.getTraceId().toByteArray());

		this.client.post()
			.uri("/actuator/llmfeedback")
			.bodyValue(Map.of("traceId", traceId, "score", 0.75, "comment", "good, a bit short"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.model").isEqualTo("claude-sonnet-4")
			.jsonPath("$.provider").isEqualTo("anthropic");

		String scrape = this.client.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
			.returnResult().getResponseBody();
		assertThat(sampleValue(scrape,
				"llm_feedback_score_sum{model=\"claude-sonnet-4\",provider=\"anthropic\"}"))
			.isEqualTo(0.75);

		Span feedback = await().atMost(Duration.ofSeconds(15))
			.until(() -> receiver.spans().stream().filter((span) -> span.getName().equals("llm feedback")).findFirst(),
					(found) -> found.isPresent())
			.orElseThrow();
		assertThat(feedback.getLinksList()).singleElement().satisfies((link) -> {
			assertThat(link.getTraceId()).isEqualTo(call.getTraceId());
			assertThat(link.getSpanId()).isEqualTo(call.getSpanId());
		});
		assertThat(attribute(feedback, "llm.feedback.score")).map(AnyValue::getDoubleValue).hasValue(0.75);
		assertThat(attribute(feedback, "llm.feedback.comment.length")).map(AnyValue::getIntValue).hasValue(17L);
		assertThat(attribute(feedback, "llm.feedback.comment")).isEmpty();
		assertThat(attribute(feedback, "llm.feedback.trace_id")).map(AnyValue::getStringValue).hasValue(traceId);
	}

	@Test
	void badFeedbackIsABadRequest() {
		this.client.post()
			.uri("/actuator/llmfeedback")
			.bodyValue(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "score", 2))
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.client.post()
			.uri("/actuator/llmfeedback")
			.bodyValue(Map.of("traceId", "nope", "score", 1))
			.exchange()
			.expectStatus()
			.isBadRequest();
		this.client.post()
			.uri("/actuator/llmfeedback")
			.bodyValue(Map.of("score", 1))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

}
