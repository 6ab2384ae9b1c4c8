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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.llmmonitor.autoconfigure.LlmMonitorProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped monitoring configuration against live data: the sample application runs with demo
 * traffic, a real Prometheus scrapes it with the shipped rules loaded, and every query of the
 * Grafana dashboard and every recording rule must evaluate without error and return data. A
 * second application, whose calls never fail and one of whose models has no price, must have data
 * on every panel but those of failed calls, and the mean cost per call must count priced calls
 * only. No query may return an infinite value, not even when no call succeeds.
 * <p>
 * Needs the {@code prometheus} binary (Debian's package); skipped without it unless
 * {@code LLM_MONITOR_REQUIRE_PROMETHEUS=true}, as CI sets.
 */
class MonitoringStackEndToEndTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)");

	/** An application whose calls never fail, one of its models unpriced. */
	private static final String ERROR_FREE_APPLICATION = "llm-e2e-error-free";

	private static final String UNPRICED_MODEL = "unpriced-sim";

	/** The rate of successful calls, {@code rate(llm_request_duration_seconds_count{..., status="success"}[w])}. */
	private static final Pattern SUCCESS_RATE = Pattern
		.compile("rate\\((llm_request_duration_seconds_count\\{[^}]*status=\"success\"[^}]*}\\[[^\\]]+])\\)");

	private static final Pattern CALL_COUNT_SELECTOR = Pattern.compile("llm_request_duration_seconds_count\\{([^}]*)}");


	/**
	 * Rules of llm-budget-drift-rules.yml that compare the last hour with the 7 days before it: a
	 * run of minutes has no reference window, they answer after an hour of data (promtool tests
	 * their values). Their rule health is still checked.
	 */
	private static final List<String> NEED_AN_HOUR_OF_HISTORY = List.of(
			"application_model:llm_drift_calls:increase7d_offset1h", "application_model:llm_drift_psi:1h_7d");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private Process prometheus;

	@TempDir
	Path workDir;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.prometheus != null) {
			this.prometheus.destroy();
			this.prometheus.waitFor(10, TimeUnit.SECONDS);
		}
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void everyDashboardQueryAndRecordingRuleReturnsData() throws Exception {
		Path binary = findPrometheus();
		// a stand-in nvidia-smi, so that the GPU panels have data on a machine without a GPU
		Path nvidiaSmi = this.workDir.resolve("nvidia-smi");
		Files.writeString(nvidiaSmi, "#!/bin/sh\necho '0, GPU-6a3b0c1e, NVIDIA H100 80GB HBM3, 35, 1024, 81559, 45, 120.50'\n");
		Files.setPosixFilePermissions(nvidiaSmi, PosixFilePermissions.fromString("rwxr-xr-x"));
		int appPort = startApplication(nvidiaSmi, "--spring.application.name=llm-e2e",
				"--sample.demo-traffic.requests-per-second=25", "--sample.simulator.error-rate=0.15");
		int errorFreeAppPort = startApplication(nvidiaSmi, "--spring.application.name=" + ERROR_FREE_APPLICATION,
				"--sample.demo-traffic.requests-per-second=5", "--sample.simulator.error-rate=0",
				"--sample.simulator.stream-abort-rate=0", "--sample.simulator.models[0].name=gpt-4o-sim",
				"--sample.simulator.models[1].name=" + UNPRICED_MODEL,
				"--sample.demo-traffic.models=gpt-4o-sim," + UNPRICED_MODEL);
		String prometheusUrl = startPrometheus(binary, appPort, errorFreeAppPort);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(query(prometheusUrl, "up{job=\"llm-apps\"} == 1")).hasSize(2);
			assertThat(query(prometheusUrl, "llm_slow_requests_total")).isNotEmpty();
			assertThat(query(prometheusUrl, "count_over_time(llm_time_to_first_token_seconds_count[1m])"))
				.hasSizeGreaterThanOrEqualTo(5)
				.allSatisfy((sample) -> assertThat(sample.at("/value/1").asDouble()).isGreaterThanOrEqualTo(10));
		});
		// the long-window SLO rules are evaluated once a minute (group llm-monitor.slo-long)
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(failingQueries(prometheusUrl)).isEmpty());
		assertMeanCostPerCallCountsPricedCallsOnly(prometheusUrl);
		assertErrorCategoriesBudgetsAndDriftShares(prometheusUrl);
		assertQualitySignals(prometheusUrl);
		assertRulesHealthy(prometheusUrl);
		// what the error-free application is meant to be
		assertThat(query(prometheusUrl,
				"llm_request_duration_seconds_count{application=\"" + ERROR_FREE_APPLICATION + "\", status!=\"success\"}"))
			.isEmpty();
	}

	/** Starts the sample application with demo traffic; the port it listens on. */
	private int startApplication(Path nvidiaSmi, String... arguments) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--llm.monitor.gpu.command=" + nvidiaSmi,
				"--llm.monitor.gpu.interval=1s", "--sample.demo-traffic.enabled=true",
				"--sample.demo-traffic.progress-interval-seconds=5", "--sample.simulator.slow-rate=0.3",
				"--sample.simulator.slow-factor=4", "--sample.simulator.max-tokens=40",
				"--llm.monitor.slow-request-threshold=1s", "--llm.monitor.call-log.enabled=false",
				// Debian's Prometheus (2.42) drops scrapes with exemplars on _count; 2.43+ (the compose stack) takes them
				"--management.tracing.exemplars.include=none"));
		args.addAll(List.of(arguments));
		ConfigurableApplicationContext application = SpringApplication.run(SampleApplication.class,
				args.toArray(String[]::new));
		this.applications.add(application);
		return ((WebServerApplicationContext) application).getWebServer().getPort();
	}

	/**
	 * Every dashboard query and recording rule that errors, returns nothing or returns an infinite
	 * value, with the reason.
	 */
	private Map<String, String> failingQueries(String prometheusUrl) throws Exception {
		Map<String, String> failing = new LinkedHashMap<>();
		for (String expr : dashboardQueries()) {
			if (NEED_AN_HOUR_OF_HISTORY.stream().anyMatch(expr::contains)) {
				continue;
			}
			check(prometheusUrl, "dashboard: " + expr, dashboardQuery(expr, ".*", ".*"), true, failing);
			// an application that never failed has no error series: its ratios must read 0, not "No data"
			if (!selectsFailedCallsOnly(expr)) {
				check(prometheusUrl, "dashboard, " + ERROR_FREE_APPLICATION + ": " + expr,
						dashboardQuery(expr, ERROR_FREE_APPLICATION, ".*"), true, failing);
			}
			// as if calls went on but none succeeded: no division by a rate of zero
			Matcher successRate = SUCCESS_RATE.matcher(expr);
			if (successRate.find()) {
				check(prometheusUrl, "dashboard, no successful call: " + expr,
						dashboardQuery(successRate.replaceAll("(rate($1) * 0)"), ".*", ".*"), false, failing);
			}
		}
		for (String variable : dashboardVariableQueries()) {
			Matcher matcher = LABEL_VALUES.matcher(variable.replace("$namespace", ".*").replace("$application", ".*"));
			assertThat(matcher.matches()).as(variable).isTrue();
			check(prometheusUrl, "variable: " + variable, "count by (" + matcher.group(2) + ") (" + matcher.group(1) + ")",
					true, failing);
		}
		// every recording rule of every rule file, but those that compare with an hour ago
		for (String record : recordingRules()) {
			if (!NEED_AN_HOUR_OF_HISTORY.contains(record)) {
				check(prometheusUrl, "recording rule: " + record, record, true, failing);
			}
		}
		assertThat(recordingRules()).containsAll(NEED_AN_HOUR_OF_HISTORY);
		return failing;
	}

	/** A dashboard query as Grafana sends it for these variable values. */
	private static String dashboardQuery(String expr, String application, String model) {
		return expr.replace("$__rate_interval", "30s")
			.replace("$__range", "1m")
			.replace("$namespace", ".*")
			.replace("$application", application)
			.replace("$model", model);
	}

	/** Whether the query reads failed calls only (errors by type, say), which has no data without failures. */
	private static boolean selectsFailedCallsOnly(String expr) {
		if (expr.contains("llm_errors_total")) {
			return true;
		}
		Matcher selector = CALL_COUNT_SELECTOR.matcher(expr);
		boolean any = false;
		while (selector.find()) {
			if (!selector.group(1).contains("status=\"error\"")) {
				return false;
			}
			any = true;
		}
		return any;
	}

	private void check(String prometheusUrl, String name, String promql, boolean needsData, Map<String, String> failing) {
		try {
			List<JsonNode> result = query(prometheusUrl, promql);
			if (needsData && result.isEmpty()) {
				failing.put(name, "no data");
			}
			for (JsonNode sample : result) {
				if (sample.at("/value/1").asString().endsWith("Inf")) {
					failing.put(name, "infinite: " + sample);
				}
			}
		}
		catch (Exception ex) {
			failing.put(name, ex.getMessage());
		}
	}

	/**
	 * The simulator cuts 5% of the answers at the token limit and refuses 2%, the demo user rates
	 * some answers: the truncation rule reads them, and no quality ratio leaves [0, 1] (NaN, no
	 * calls of the kind in the window, aside).
	 */
	private void assertQualitySignals(String prometheusUrl) throws Exception {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			assertThat(query(prometheusUrl, "llm_finish_reasons_total{finish_reason=\"length\"}")).isNotEmpty();
			assertThat(query(prometheusUrl, "llm_refusals_total")).isNotEmpty();
			assertThat(query(prometheusUrl, "application_model:llm_truncation:ratio_rate5m > 0")).isNotEmpty();
		});
		for (String ratio : List.of("application_model:llm_truncation:ratio_rate5m",
				"application_model:llm_content_filter:ratio_rate5m", "application_model:llm_refusals:ratio_rate5m",
				"application_model:llm_empty_responses:ratio_rate5m", "application_model:llm_feedback_score:mean30m")) {
			// NaN (0 / 0) for a model without calls of the kind in the window, as for the error ratio
			assertThat(query(prometheusUrl, ratio)).as(ratio)
				.isNotEmpty()
				.map((sample) -> sample.at("/value/1").asString())
				.filteredOn((value) -> !value.equals("NaN"))
				.isNotEmpty()
				.allSatisfy((value) -> assertThat(Double.parseDouble(value)).as(ratio).isBetween(0.0, 1.0));
		}
	}

	/**
	 * The dashboard's mean cost per call, of every model, equals that of the priced models alone:
	 * calls of a model without a price cost nothing in {@code llm_cost_usd_total} and must not count.
	 */
	private void assertMeanCostPerCallCountsPricedCallsOnly(String prometheusUrl) throws Exception {
		assertThat(query(prometheusUrl, "llm_request_duration_seconds_count{model=\"" + UNPRICED_MODEL + "\"}"))
			.isNotEmpty();
		assertThat(query(prometheusUrl, "llm_cost_usd_total{model=\"" + UNPRICED_MODEL + "\"}")).isEmpty();
		List<String> meanCost = dashboardQueries().stream()
			.filter((expr) -> expr.contains("llm_cost_usd_total") && expr.contains(" / "))
			.toList();
		assertThat(meanCost).hasSize(1);
		String time = String.valueOf(System.currentTimeMillis() / 1000.0);
		List<JsonNode> allModels = query(prometheusUrl, dashboardQuery(meanCost.get(0), ".*", ".*"), time);
		List<JsonNode> pricedModels = query(prometheusUrl,
				dashboardQuery(meanCost.get(0), ".*", String.join("|", pricedModels())), time);
		assertThat(allModels).hasSize(1);
		assertThat(pricedModels).hasSize(1);
		assertThat(allModels.get(0).at("/value/1").asDouble()).as(meanCost.get(0))
			.isCloseTo(pricedModels.get(0).at("/value/1").asDouble(), within(1e-12));
	}

	/** The models with a price in the sample application's configuration, as the application bound them. */
	private Set<String> pricedModels() {
		Set<String> models = this.applications.get(0).getBean(LlmMonitorProperties.class).getPricing().keySet();
		assertThat(models).contains("gpt-4o-sim").doesNotContain(UNPRICED_MODEL);
		return models;
	}

	/**
	 * The simulator answers 429 and 500: the sample's calls fail as rate_limited and server_error.
	 * Each budget of the sample's application.yml has its spend ratio. The drift shares of the
	 * current hour, from differences of the cumulative buckets that the rules name, add up to 1
	 * for every model and distribution: a bucket boundary that the rules name wrongly would be
	 * missing from the sum.
	 */
	private void assertErrorCategoriesBudgetsAndDriftShares(String prometheusUrl) throws Exception {
		assertThat(query(prometheusUrl, "sum by (category) (llm_errors_total{application=\"llm-e2e\"})"))
			.extracting((sample) -> sample.at("/metric/category").asString())
			.contains("rate_limited", "server_error")
			.allSatisfy((category) -> assertThat(category).isIn("rate_limited", "timeout", "auth", "bad_request",
					"context_length", "content_filter", "server_error", "network", "other"));
		assertThat(query(prometheusUrl, "application:llm_budget_spent:ratio{application=\"llm-e2e\"}"))
			.extracting((sample) -> sample.at("/metric/period").asString() + " " + sample.at("/metric/model").asString())
			.containsExactlyInAnyOrder("day *", "month *", "day gpt-4o-sim");
		for (String shares : List.of("application_model_le:llm_request_duration_seconds_bucket:share_drift",
				"application_model_le:llm_tokens_per_call_bucket:share_drift")) {
			List<JsonNode> sums = query(prometheusUrl,
					"sum without (le) (" + shares + "{window=\"current\"})");
			assertThat(sums).as(shares).isNotEmpty()
				.allSatisfy((sample) -> assertThat(sample.at("/value/1").asDouble()).as("%s %s", shares, sample)
					.isCloseTo(1.0, within(1e-9)));
		}
		// the token shares count the buckets of each type
		assertThat(query(prometheusUrl,
				"count by (type) (application_model_le:llm_tokens_per_call_bucket:share_drift{window=\"current\"})"))
			.extracting((sample) -> sample.at("/metric/type").asString())
			.containsExactlyInAnyOrder("input", "output");
	}

	private List<JsonNode> query(String prometheusUrl, String promql) throws IOException, InterruptedException {
		return query(prometheusUrl, promql, null);
	}

	/** An instant query, evaluated now or at this Unix time in seconds. */
	private List<JsonNode> query(String prometheusUrl, String promql, String time)
			throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest
			.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
					+ ((time != null) ? "&time=" + time : "")))
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
		expected.addAll(ruleNames("alert"));
		assertThat(rules).containsExactlyInAnyOrderElementsOf(expected);
	}

	private List<String> dashboardQueries() throws IOException {
		JsonNode dashboard = this.json.readTree(REPOSITORY.resolve("grafana/dashboards/llm-performance.json").toFile());
		List<String> queries = new ArrayList<>();
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				// LogQL of the logs panel goes to Loki, not Prometheus (GrafanaDashboardTests checks it)
				if (!"loki".equals(target.at("/datasource/type").asString())) {
					queries.add(target.path("expr").asString());
				}
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
		List<String> names = ruleNames("record");
		assertThat(names).hasSizeGreaterThan(20).contains("application_model:llm_truncation:ratio_rate5m",
				"application_model:llm_feedback_score:mean30m");
		return names;
	}

	/** The names of the rules of this kind ({@code record} or {@code alert}) in one rule file. */
	private static List<String> ruleNames(String file, String kind) throws IOException {
		return ruleNames(List.of(REPOSITORY.resolve(file)), kind);
	}

	/** The names of the rules of this kind ({@code record} or {@code alert}) in the shipped rule files. */
	private static List<String> ruleNames(String kind) throws IOException {
		return ruleNames(ruleFiles(), kind);
	}

	private static List<String> ruleNames(List<Path> ruleFiles, String kind) throws IOException {
		Pattern rule = Pattern.compile("^\\s*- " + kind + ":\\s*(\\S+)\\s*$");
		List<String> names = new ArrayList<>();
		for (Path file : ruleFiles) {
			for (String line : Files.readAllLines(file)) {
				Matcher matcher = rule.matcher(line);
				if (matcher.matches()) {
					names.add(matcher.group(1));
				}
			}
		}
		return names;
	}

	private static List<Path> ruleFiles() throws IOException {
		try (Stream<Path> files = Files.list(REPOSITORY.resolve("prometheus/rules"))) {
			return files.filter((file) -> file.toString().endsWith(".yml")).sorted().toList();
		}
	}

	private String startPrometheus(Path binary, int... appPorts) throws IOException {
		int port = freePort();
		List<String> ruleFiles = ruleFiles().stream().map(Path::toString).toList();
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
				      - targets: [%s]
				""".formatted(ruleFiles.stream().map((file) -> "  - " + file).reduce((a, b) -> a + "\n" + b).orElseThrow(),
				IntStream.of(appPorts).mapToObj((appPort) -> "\"127.0.0.1:" + appPort + "\"").collect(Collectors.joining(", "))));
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
