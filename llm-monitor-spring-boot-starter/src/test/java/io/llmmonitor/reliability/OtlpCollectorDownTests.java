package io.llmmonitor.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An OTLP collector that is down or black-holes requests never reaches the monitored calls: they
 * all succeed on their own threads, metrics stay exact, spans are dropped from a bounded queue
 * (heap stays flat), and the failing export is logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class OtlpCollectorDownTests {

	private static final int CALLS = 5000;

	private ConfigurableApplicationContext context;

	private ServerSocket blackHole;

	private final List<Socket> heldConnections = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() throws IOException {
		if (this.context != null) {
			this.context.close();
		}
		if (this.blackHole != null) {
			this.blackHole.close();
		}
		for (Socket socket : this.heldConnections) {
			socket.close();
		}
	}

	@Test
	void callsSucceedWhenTheCollectorRefusesConnections(CapturedOutput output) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		runCallsAgainst("http://127.0.0.1:" + closedPort + "/v1/traces");

		await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(output.getOut() + output.getErr())
			.contains("Failed to export spans"));
	}

	@Test
	void callsSucceedWhenTheCollectorBlackHolesRequests(CapturedOutput output) throws Exception {
		this.blackHole = new ServerSocket(0);
		Thread acceptor = new Thread(() -> {
			while (!this.blackHole.isClosed()) {
				try {
					this.heldConnections.add(this.blackHole.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "black-hole");
		acceptor.setDaemon(true);
		acceptor.start();

		runCallsAgainst("http://127.0.0.1:" + this.blackHole.getLocalPort() + "/v1/traces");

		assertThat(this.heldConnections).as("the exporter reached the black hole").isNotEmpty();
		// memory stays bounded: spans beyond the export queue are dropped, not kept
		long before = usedHeapAfterGc();
		ModelClient client = this.context.getBean(ModelClient.class);
		for (int i = 0; i < 4 * CALLS; i++) {
			client.complete("hi");
		}
		long growth = usedHeapAfterGc() - before;
		// measured: about 0.7 MiB with the bounded queue; about 25 MiB were every span kept
		assertThat(growth).as("heap growth over %d calls, bytes", 4 * CALLS).isLessThan(8L * 1024 * 1024);
		await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(output.getOut() + output.getErr())
			.contains("Failed to export spans"));
	}

	private void runCallsAgainst(String otlpEndpoint) throws InterruptedException {
		SpringApplication application = new SpringApplication(CollectorDownApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		this.context = application.run("--management.opentelemetry.tracing.export.otlp.endpoint=" + otlpEndpoint,
				"--management.tracing.sampling.probability=1.0",
				"--management.opentelemetry.tracing.export.schedule-delay=50ms",
				"--management.opentelemetry.tracing.export.max-queue-size=256",
				"--management.opentelemetry.tracing.export.otlp.timeout=1s",
				"--management.opentelemetry.tracing.export.otlp.connect-timeout=1s");
		ModelClient client = this.context.getBean(ModelClient.class);
		AtomicInteger succeeded = new AtomicInteger();
		ExecutorService callers = Executors.newFixedThreadPool(8);
		for (int i = 0; i < CALLS; i++) {
			callers.execute(() -> {
				if ("answer".equals(client.complete("hi"))) {
					succeeded.incrementAndGet();
				}
			});
		}
		callers.shutdown();
		// generous: the calls take milliseconds; an exporter blocking callers would hold them for seconds each
		assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).as("all calls returned").isTrue();
		assertThat(succeeded).hasValue(CALLS);
		assertThat(this.context.getBean(MeterRegistry.class).get("llm.request.duration").tag("status", "success")
			.timer().count()).isEqualTo(CALLS);
	}

	private static long usedHeapAfterGc() {
		java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	@SpringBootApplication
	static class CollectorDownApplication {

		@Bean
		ModelClient modelClient() {
			return new ModelClient();
		}

	}

	static class ModelClient {

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public String complete(String prompt) {
			return "answer";
		}

	}

}
