package io.llmmonitor.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped monitoring configuration against live data: the sample application runs with demo
 * traffic, a real Prometheus scrapes it with the shipped rules loaded, and every query of the
 * Grafana dashboard and every recording rule must evaluate without error and return data.
 * <p>
 * Needs the {@code prometheus} binary (Debian's package); skipped without it unless
 * {@code LLM_MONITOR_REQUIRE_PROMETHEUS=true}, as CI sets.
 */
class MonitoringStackEndToEndTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private ConfigurableApplicationContext application;

	private Process prometheus;

	@TempDir
	Path workDir;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			this.prometheus.waitFor(10, TimeUnit.SECONDS);
		}
		if (this.application != null) {
			this.application.close();
		}
	}

	@Test
	void everyDashboardQueryAndRecordingRuleReturnsData() throws Exception {
		Path binary = findPrometheus();
		// a stand-in nvidia-smi, so that the GPU panels have data on a machine without a GPU
		Path nvidiaSmi = this.workDir.resolve("nvidia-smi");
		Files.writeString(nvidiaSmi, "#!/bin/sh\necho '0, GPU-6a3b0c1e, NVIDIA H100 80GB HBM3, 35, 1024, 81559, 45, 120.50'\n");
		Files.setPosixFilePermissions(nvidiaSmi, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.application = SpringApplication.run(SampleApplication.class, "--server.port=0",
				"--llm.monitor.gpu.command=" + nvidiaSmi, "--llm.monitor.gpu.interval=1s",
				"--spring.application.name=llm-e2e", "--sample.demo-traffic.enabled=true",
				"--sample.demo-traffic.requests-per-second=25", "--sample.demo-traffic.progress-interval-seconds=5",
				"--sample.simulator.error-rate=0.15", "--sample.simulator.slow-rate=0.3",
				"--sample.simulator.slow-factor=4", "--sample.simulator.max-tokens=40",
				"--llm.monitor.slow-request-threshold=1s", "--llm.monitor.call-log.enabled=false",
				// Debian's Prometheus (2.42) drops scrapes with exemplars on _count; 2.43+ (the compose stack) takes them
				"--management.tracing.exemplars.include=none");
		int appPort = ((WebServerApplicationContext) this.application).getWebServer().getPort();
		String prometheusUrl = startPrometheus(binary, appPort);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(query(prometheusUrl, "up{job=\"llm-apps\"} == 1")).isNotEmpty();
			assertThat(query(prometheusUrl, "llm_slow_requests_total")).isNotEmpty();
			assertThat(query(prometheusUrl, "count_over_time(llm_time_to_first_token_seconds_count[1m])"))
				.allSatisfy((sample) -> assertThat(sample.at("/value/1").asDouble()).isGreaterThanOrEqualTo(10));
		});
		// the long-window SLO rules are evaluated once a minute (group llm-monitor.slo-long)
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(failingQueries(prometheusUrl)).isEmpty());
		assertRulesHealthy(prometheusUrl);
	}

	/** Every dashboard query and recording rule that errors or returns nothing, with the reason. */
	private Map<String, String> failingQueries(String prometheusUrl) throws Exception {
		Map<String, String> failing = new LinkedHashMap<>();
		for (String expr : dashboardQueries()) {
			String promql = expr.replace("$__rate_interval", "30s")
				.replace("$application", ".*")
				.replace("$model", ".*");
			check(prometheusUrl, "dashboard: " + expr, promql, failing);
		}
		for (String variable : dashboardVariableQueries()) {
			Matcher matcher = LABEL_VALUES.matcher(variable.replace("$application", ".*"));
			assertThat(matcher.matches()).as(variable).isTrue();
			check(prometheusUrl, "variable: " + variable, "count by (" + matcher.group(2) + ") (" + matcher.group(1) + ")",
					failing);
		}
		for (String record : recordingRules()) {
			check(prometheusUrl, "recording rule: " + record, record, failing);
		}
		return failing;
	}

	private void check(String prometheusUrl, String name, String promql, Map<String, String> failing) {
		try {
			if (query(prometheusUrl, promql).isEmpty()) {
				failing.put(name, "no data");
			}
		}
		catch (Exception ex) {
			failing.put(name, ex.getMessage());
		}
	}

	private List<JsonNode> query(String prometheusUrl, String promql) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		JsonNode body = this.json.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
			throw new IllegalStateException("query failed (" + response.statusCode() + "): " + body.path("error").asString());
		}
		List<JsonNode> result = new ArrayList<>();
		body.at("/data/result").forEach(result::add);
		return result;
	}

	private void assertRulesHealthy(String prometheusUrl) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/rules")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		List<String> rules = new ArrayList<>();
		for (JsonNode group : this.json.readTree(response.body()).at("/data/groups")) {
			for (JsonNode rule : group.path("rules")) {
				assertThat(rule.path("health").asString()).as("health of %s: %s", rule.path("name").asString(),
						rule.path("lastError").asString()).isEqualTo("ok");
				rules.add(rule.path("name").asString());
			}
		}
		List<String> expected = new ArrayList<>(recordingRules());
		expected.addAll(ruleNames("prometheus/rules/llm-alert-rules.yml", "alert"));
		assertThat(rules).containsExactlyInAnyOrderElementsOf(expected);
	}

	private List<String> dashboardQueries() throws IOException {
		JsonNode dashboard = this.json.readTree(REPOSITORY.resolve("grafana/dashboards/llm-performance.json").toFile());
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(target.path("expr").asString());
			}
		}
		assertThat(queries).hasSizeGreaterThan(20);
		return queries;
	}

	private List<String> dashboardVariableQueries() throws IOException {
		JsonNode dashboard = this.json.readTree(REPOSITORY.resolve("grafana/dashboards/llm-performance.json").toFile());
		List<String> queries = new ArrayList<>();
		for (JsonNode variable : dashboard.at("/templating/list")) {
			if ("query".equals(variable.path("type").asString())) {
				queries.add(variable.at("/query/query").asString());
			}
		}
		return queries;
	}

	private List<String> recordingRules() throws IOException {
		List<String> names = ruleNames("prometheus/rules/llm-recording-rules.yml", "record");
		assertThat(names).hasSizeGreaterThan(20);
		return names;
	}

	/** The names of the rules of this kind ({@code record} or {@code alert}) in a rule file. */
	private static List<String> ruleNames(String file, String kind) throws IOException {
		Pattern rule = Pattern.compile("^\\s*- " + kind + ":\\s*(\\S+)\\s*$");
		List<String> names = new ArrayList<>();
		for (String line : Files.readAllLines(REPOSITORY.resolve(file))) {
			Matcher matcher = rule.matcher(line);
			if (matcher.matches()) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	private String startPrometheus(Path binary, int appPort) throws IOException {
		int port = freePort();
		List<String> ruleFiles;
		try (Stream<Path> files = Files.list(REPOSITORY.resolve("prometheus/rules"))) {
			ruleFiles = files.filter((file) -> file.toString().endsWith(".yml")).map(Path::toString).sorted().toList();
		}
		Path config = this.workDir.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				%s
				scrape_configs:
				  - job_name: llm-apps
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ["127.0.0.1:%d"]
				""".formatted(ruleFiles.stream().map((file) -> "  - " + file).reduce((a, b) -> a + "\n" + b).orElseThrow(),
				appPort));
		this.prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
				"--storage.tsdb.path=" + this.workDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
			.redirectErrorStream(true)
			.redirectOutput(this.workDir.resolve("prometheus.log").toFile())
			.start();
		String url = "http://127.0.0.1:" + port;
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
			.until(() -> this.http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
		return url;
	}

	private static Path findPrometheus() {
		Path binary = Stream.of(System.getenv("PATH").split(":"))
			.map((dir) -> Path.of(dir, "prometheus"))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
		if (!"true".equals(System.getenv("LLM_MONITOR_REQUIRE_PROMETHEUS"))) {
			assumeThat(binary).as("the prometheus binary (apt-get install prometheus)").isNotNull();
		}
		assertThat(binary).as("the prometheus binary, required by LLM_MONITOR_REQUIRE_PROMETHEUS").isNotNull();
		return binary;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
