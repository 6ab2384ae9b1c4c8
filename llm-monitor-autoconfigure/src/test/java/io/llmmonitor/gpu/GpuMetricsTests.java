package io.llmmonitor.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorGpuAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * GPU metrics read with a stand-in {@code nvidia-smi} that prints what the real one prints.
 */
@ExtendWith(OutputCaptureExtension.class)
class GpuMetricsTests {

	private static final String TWO_GPUS = """
			0, GPU-6a3b0c1e-1f2a-4b3c-8d4e-5f6a7b8c9d0e, NVIDIA H100 80GB HBM3, 35, 1024, 81559, 45, 120.50
			1, GPU-7b4c1d2f-2a3b-4c4d-9e5f-6a7b8c9d0e1f, NVIDIA H100 80GB HBM3, [N/A], 2048, 81559, 47, [Not Supported]
			""";

	@TempDir
	Path directory;

	@Test
	void parsesTheQueryOutputNotAvailableAsNaN() throws IOException {
		List<GpuReading> gpus = NvidiaSmi.parse(TWO_GPUS);
		assertThat(gpus).hasSize(2);
		GpuReading first = gpus.get(0);
		assertThat(first.index()).isEqualTo("0");
		assertThat(first.name()).isEqualTo("NVIDIA H100 80GB HBM3");
		assertThat(first.utilization()).isCloseTo(0.35, within(1e-12));
		assertThat(first.memoryUsedBytes()).isEqualTo(1024.0 * 1024 * 1024);
		assertThat(first.memoryTotalBytes()).isEqualTo(81559.0 * 1024 * 1024);
		assertThat(first.temperatureCelsius()).isEqualTo(45.0);
		assertThat(first.powerWatts()).isEqualTo(120.5);
		assertThat(gpus.get(1).utilization()).isNaN();
		assertThat(gpus.get(1).powerWatts()).isNaN();
		assertThatIOException().isThrownBy(() -> NvidiaSmi.parse("NVIDIA-SMI has failed because it couldn't communicate"));
	}

	@Test
	void gaugesPerGpuFromTheCommandAndNaNWhileItFails(CapturedOutput output) throws IOException {
		Path command = script("nvidia-smi", "cat <<'EOF'\n" + TWO_GPUS + "EOF");
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (GpuMetrics metrics = new GpuMetrics(new NvidiaSmi(command.toString(), Duration.ofSeconds(5)),
				Duration.ofHours(1))) {
			metrics.bindTo(registry);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(registry.find("llm.gpu.utilization").gauges()).hasSize(2));
			assertThat(gauge(registry, "llm.gpu.utilization", "0")).isCloseTo(0.35, within(1e-12));
			assertThat(gauge(registry, "llm.gpu.memory.used", "1")).isEqualTo(2048.0 * 1024 * 1024);
			assertThat(gauge(registry, "llm.gpu.memory.total", "0")).isEqualTo(81559.0 * 1024 * 1024);
			assertThat(gauge(registry, "llm.gpu.temperature", "1")).isEqualTo(47.0);
			assertThat(gauge(registry, "llm.gpu.power", "0")).isEqualTo(120.5);
			assertThat(registry.get("llm.gpu.power").tag("gpu", "0").gauge().getId().getTag("name"))
				.isEqualTo("NVIDIA H100 80GB HBM3");

			script("nvidia-smi", "echo 'NVIDIA-SMI has failed because it could not communicate with the driver'\nexit 9");
			metrics.refresh();
			metrics.refresh();
			assertThat(gauge(registry, "llm.gpu.utilization", "0")).isNaN();
			assertThat(output.getOut().split("Cannot read GPU metrics", -1)).hasSize(2);
			assertThat(output.getOut()).contains("exited with 9", "could not communicate");
		}
	}

	@Test
	void theConditionFindsTheCommandByPathOrOnThePath() throws IOException {
		Path command = script("nvidia-smi", "exit 0");
		assertThat(NvidiaSmiCondition.find(command.toString(), "/nowhere")).isEqualTo(command);
		assertThat(NvidiaSmiCondition.find("nvidia-smi", "/nowhere:" + this.directory)).isEqualTo(command);
		assertThat(NvidiaSmiCondition.find("nvidia-smi", "/nowhere")).isNull();
		assertThat(NvidiaSmiCondition.find(this.directory.resolve("missing").toString(), "")).isNull();
	}

	@Test
	void autoConfiguredOnlyWhenTheCommandExists() throws IOException {
		Path command = script("nvidia-smi", "cat <<'EOF'\n" + TWO_GPUS + "EOF");
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
				ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class,
				LlmMonitorGpuAutoConfiguration.class));
		runner.withPropertyValues("llm.monitor.gpu.command=" + command).run((context) -> {
			assertThat(context).hasSingleBean(GpuMetrics.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(registry.find("llm.gpu.memory.used").gauges()).hasSize(2));
		});
		runner.withPropertyValues("llm.monitor.gpu.command=" + this.directory.resolve("missing"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GpuMetrics.class));
		runner.withPropertyValues("llm.monitor.gpu.command=" + command, "llm.monitor.gpu.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GpuMetrics.class));
		runner.withPropertyValues("llm.monitor.gpu.command=" + command, "llm.monitor.gpu.interval=0s")
			.run((context) -> assertThat(context).hasFailed());
	}

	private static double gauge(MeterRegistry registry, String name, String gpu) {
		return registry.get(name).tag("gpu", gpu).gauge().value();
	}

	private Path script(String name, String body) throws IOException {
		Path file = this.directory.resolve(name);
		Files.writeString(file, "#!/bin/sh\n" + body + "\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
		return file;
	}

}
