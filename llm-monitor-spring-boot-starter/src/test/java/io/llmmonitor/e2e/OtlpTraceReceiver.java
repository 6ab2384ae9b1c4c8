package io.llmmonitor.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A minimal OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf), decoding what arrives
 * with the official {@code opentelemetry-proto} classes: what Jaeger's OTLP receiver would get.
 * It receives metrics too ({@code POST /v1/metrics}), as an OpenTelemetry collector does.
 * Also reads what the end-to-end tests check: span attributes and scraped samples.
 */
public final class OtlpTraceReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Span> spans = new CopyOnWriteArrayList<>();

	private final List<Metric> metrics = new CopyOnWriteArrayList<>();

	/** A receiver listening on a free local port. */
	public static OtlpTraceReceiver start() {
		try {
			return new OtlpTraceReceiver();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private OtlpTraceReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/v1/traces", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
				for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
					for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
						this.spans.addAll(scopeSpans.getSpansList());
					}
				}
				byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
				exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
				exchange.sendResponseHeaders(200, response.length);
				exchange.getResponseBody().write(response);
			}
			finally {
				exchange.close();
			}
		});
		this.server.createContext("/v1/metrics", (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(body);
				for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
					for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
						this.metrics.addAll(scopeMetrics.getMetricsList());
					}
				}
				byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
				exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
				exchange.sendResponseHeaders(200, response.length);
				exchange.getResponseBody().write(response);
			}
			finally {
				exchange.close();
			}
		});
		this.server.start();
	}

	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	public String metricsEndpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/metrics";
	}

	public List<Span> spans() {
		return List.copyOf(this.spans);
	}

	/** The metrics received so far, every export of each. */
	public List<Metric> metrics() {
		return List.copyOf(this.metrics);
	}

	/** The value of a span's attribute. */
	public static Optional<AnyValue> attribute(Span span, String key) {
		return span.getAttributesList()
			.stream()
			.filter((kv) -> kv.getKey().equals(key))
			.map(KeyValue::getValue)
			.findFirst();
	}

	/** The value of one series in a Prometheus text scrape; fails when it is missing. */
	public static double sampleValue(String scrape, String series) {
		return scrape.lines()
			.filter((line) -> line.startsWith(series + " "))
			.map((line) -> Double.parseDouble(line.substring(series.length() + 1).split(" ")[0]))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + scrape));
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
