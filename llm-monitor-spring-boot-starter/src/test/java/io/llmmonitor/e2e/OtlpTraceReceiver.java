package io.llmmonitor.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A minimal OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf), decoding what arrives
 * with the official {@code opentelemetry-proto} classes: what Jaeger's OTLP receiver would get.
 */
public final class OtlpTraceReceiver implements AutoCloseable {

	private final HttpServer server;

	private final List<Span> spans = new CopyOnWriteArrayList<>();

	public OtlpTraceReceiver() throws IOException {
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
		this.server.start();
	}

	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	public List<Span> spans() {
		return List.copyOf(this.spans);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
