package io.llmmonitor.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenTelemetry GenAI client metrics pushed by Micrometer's OTLP registry
 * ({@code micrometer-registry-otlp}, {@code management.otlp.metrics.export.*}) to the collector
 * that receives the spans, decoded off the wire: names, units, attributes, bucket boundaries.
 */
@SpringBootTest(classes = ChatApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "llm.monitor.metrics.semconv.enabled=true",
				"management.otlp.metrics.export.step=500ms", "management.tracing.sampling.probability=1.0",
				"management.opentelemetry.tracing.export.schedule-delay=100ms",
				"management.endpoints.web.exposure.include=prometheus" })
@AutoConfigureWebTestClient
class OtlpMetricsEndToEndTests {

	private static final List<Double> DURATION_BOUNDARIES = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28,
			2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

	private static final OtlpTraceReceiver collector = OtlpTraceReceiver.start();

	@Autowired
	private WebTestClient client;

	@DynamicPropertySource
	static void otlpEndpoints(DynamicPropertyRegistry registry) {
		registry.add("management.otlp.metrics.export.url", collector::metricsEndpoint);
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", collector::endpoint);
	}

	@AfterAll
	static void stopCollector() {
		collector.close();
	}

	@Test
	void genAiClientMetricsReachTheCollectorWithTheirUnitsAttributesAndBoundaries() {
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
		this.client.get().uri("/chat/failing?prompt=hi").exchange().expectStatus().isOk();

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(latest("gen_ai.client.operation.time_per_output_chunk")).isNotNull()
				.extracting((metric) -> metric.getHistogram().getDataPointsCount())
				.isEqualTo(1));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(latest("gen_ai.client.operation.duration").getHistogram()
				.getDataPointsCount()).isEqualTo(2));

		Metric duration = latest("gen_ai.client.operation.duration");
		assertThat(duration.getUnit()).isEqualTo("s");
		Map<String, String> stream = Map.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
				"gen_ai.request.model", "gpt-4o");
		HistogramDataPoint succeeded = point(duration, stream);
		assertThat(succeeded.getCount()).isEqualTo(1);
		assertThat(succeeded.getExplicitBoundsList()).isEqualTo(DURATION_BOUNDARIES);
		assertThat(succeeded.getSum()).isBetween(0.04, 5.0);
		Map<String, String> failed = Map.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
				"gen_ai.request.model", "gpt-4o", "error.type", "java.lang.IllegalStateException");
		assertThat(point(duration, failed).getCount()).isEqualTo(1);

		Metric tokens = latest("gen_ai.client.token.usage");
		assertThat(tokens.getUnit()).isEqualTo("{token}");
		HistogramDataPoint input = point(tokens, Map.of("gen_ai.operation.name", "chat", "gen_ai.provider.name",
				"openai", "gen_ai.request.model", "gpt-4o", "gen_ai.token.type", "input"));
		assertThat(input.getSum()).isEqualTo(11.0);
		assertThat(input.getExplicitBoundsList()).containsExactly(1.0, 4.0, 16.0, 64.0, 256.0, 1024.0, 4096.0,
				16384.0, 65536.0, 262144.0, 1048576.0, 4194304.0, 16777216.0, 67108864.0);
		assertThat(point(tokens, Map.of("gen_ai.operation.name", "chat", "gen_ai.provider.name", "openai",
				"gen_ai.request.model", "gpt-4o", "gen_ai.token.type", "output"))
			.getSum()).isEqualTo(8.0);

		Metric timeToFirstChunk = latest("gen_ai.client.operation.time_to_first_chunk");
		assertThat(timeToFirstChunk.getUnit()).isEqualTo("s");
		HistogramDataPoint first = point(timeToFirstChunk, stream);
		assertThat(first.getCount()).isEqualTo(1);
		assertThat(first.getExplicitBoundsList()).isEqualTo(DURATION_BOUNDARIES);

		// eight content chunks: seven gaps, whose sum is the time from the first chunk to the last
		Metric timePerOutputChunk = latest("gen_ai.client.operation.time_per_output_chunk");
		assertThat(timePerOutputChunk.getUnit()).isEqualTo("s");
		HistogramDataPoint perChunk = point(timePerOutputChunk, stream);
		assertThat(perChunk.getCount()).isEqualTo(7);
		assertThat(perChunk.getSum()).isBetween(7 * 0.005, 5.0);
		assertThat(perChunk.getExplicitBoundsList()).isEqualTo(DURATION_BOUNDARIES);

		// the llm_* duration goes out too: buckets for the successful call, the one bucket of
		// everything for the failed one (no boundary, one count), as in the Prometheus scrape
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(latest("llm.request.duration")).isNotNull()
				.extracting((metric) -> metric.getHistogram().getDataPointsCount())
				.isEqualTo(2));
		Metric llmDuration = latest("llm.request.duration");
		HistogramDataPoint llmSucceeded = pointWith(llmDuration, "status", "success");
		// Micrometer's OTLP registry exports timers in milliseconds
		assertThat(llmSucceeded.getExplicitBoundsList()).hasSize(16).contains(40960.0);
		assertThat(llmSucceeded.getBucketCountsList()).hasSize(17);
		HistogramDataPoint llmFailed = pointWith(llmDuration, "status", "error");
		assertThat(llmFailed.getExplicitBoundsList()).isEmpty();
		assertThat(llmFailed.getBucketCountsList()).containsExactly(1L);
		assertThat(llmFailed.getCount()).isEqualTo(1);

		// Prometheus still scrapes the llm_* metrics, and the GenAI ones beside them
		String scrape = this.client.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(scrape).contains("llm_request_duration_seconds_count{")
			.contains("gen_ai_client_operation_duration_s_count{error_type=\"java.lang.IllegalStateException\",");

		// one collector: the spans of the same calls arrive beside the metrics
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(collector.spans()).anyMatch((span) -> span.getName().equals("chat gpt-4o")));
	}

	/** The metric of that name in the latest export that has it (exports are cumulative). */
	private static Metric latest(String name) {
		List<Metric> metrics = collector.metrics();
		for (int i = metrics.size() - 1; i >= 0; i--) {
			if (metrics.get(i).getName().equals(name)) {
				return metrics.get(i);
			}
		}
		return null;
	}

	private static HistogramDataPoint point(Metric metric, Map<String, String> attributes) {
		List<HistogramDataPoint> points = metric.getHistogram()
			.getDataPointsList()
			.stream()
			.filter((point) -> attributes(point.getAttributesList()).equals(attributes))
			.toList();
		assertThat(points).as("%s points with exactly %s in %s", metric.getName(), attributes, metric).hasSize(1);
		return points.get(0);
	}

	private static HistogramDataPoint pointWith(Metric metric, String key, String value) {
		List<HistogramDataPoint> points = metric.getHistogram()
			.getDataPointsList()
			.stream()
			.filter((point) -> value.equals(attributes(point.getAttributesList()).get(key)))
			.toList();
		assertThat(points).as("%s points with %s=%s in %s", metric.getName(), key, value, metric).hasSize(1);
		return points.get(0);
	}

	private static Map<String, String> attributes(List<KeyValue> attributes) {
		return attributes.stream()
			.collect(Collectors.toMap(KeyValue::getKey, (keyValue) -> keyValue.getValue().getStringValue()));
	}

}
