package io.llmmonitor.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped Grafana dashboard, read as JSON: what it must get right whatever data it shows
 * ({@link MonitoringStackEndToEndTests} runs its queries against live data). Every metric it
 * queries is in the sample application's scrape or among the metrics of an exporter that the
 * compose stack runs, and its log panel finds the sample's {@code llm_call} lines and links their
 * trace to Jaeger.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrafanaDashboardTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	private static final Path DASHBOARD = REPOSITORY.resolve("grafana/dashboards/llm-performance.json");

	/** {@code ${name}}, {@code ${name:format}} or {@code ${name.path:format}}; {@code $name}. */
	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([\\w.]+)(?::(\\w+))?}|\\$(\\w+)");

	/** {@code (ERRORS or TOTAL * 0) / TOTAL}, possibly after {@code 1 - }. */
	private static final Pattern ERROR_RATIO = Pattern.compile("(?:1 - )?\\((.+) or (.+) \\* 0\\) / (.+)");

	/**
	 * A selector of a series the application publishes (llm_*, Spring Boot's HTTP, JVM and process
	 * meters), its label matchers (null without braces); not a string such as LogQL's {@code |= "llm_call"}.
	 */
	private static final Pattern METRIC_SELECTOR = Pattern
		.compile("(?<![\"\\w:])((?:llm|http_server_requests|jvm|process)_\\w+)(?![\\w:])(\\{[^}]*})?");

	/**
	 * A selector of a series that a shipped recording rule records ({@code level:metric:operations},
	 * e.g. {@code application:llm_budget_spent:ratio}), its label matchers (null without braces).
	 */
	private static final Pattern RECORDED_SELECTOR = Pattern.compile("(?<![\"\\w:])([a-zA-Z_]\\w*:[\\w:]+)(\\{[^}]*})?");

	/**
	 * Metrics that the dashboard may query although the application does not publish them: those of
	 * the exporters of docker-compose-monitoring.yml, by service (DCGM exporter: its default
	 * counters, etc/default-counters.csv).
	 */
	private static final Map<String, Set<String>> EXPORTER_METRICS = Map.of("dcgm-exporter",
			Set.of("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP"));

	/** The rate of an LLM latency histogram's buckets. */
	private static final Pattern LLM_LATENCY_BUCKETS = Pattern.compile("rate\\(llm_\\w+_seconds_bucket\\{");

	/** PromQL words that are no metric names. */
	private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");

	private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

	private final JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());

	@TempDir
	Path workDir;

	private ConfigurableApplicationContext sample;

	@Test
	void provisionedDashboardNeedsNoImportSubstitution() throws IOException {
		// file provisioning does not substitute __inputs: a ${DS_...} placeholder stays as it is
		assertThat(Files.readString(DASHBOARD).contains("${DS_")).as("a ${DS_...} placeholder in the dashboard").isFalse();
		assertThat(this.dashboard.has("__inputs")).as("__inputs, which only the import dialog fills in").isFalse();
		JsonNode datasource = variable("datasource");
		assertThat(datasource.path("type").asString()).isEqualTo("datasource");
		assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
		assertThat(datasource.at("/current/value").asString()).as("the default: the provisioned Prometheus")
			.isEqualTo(provisionedPrometheusUid());
		JsonNode loki = variable("loki");
		assertThat(loki.path("type").asString()).isEqualTo("datasource");
		assertThat(loki.path("query").asString()).isEqualTo("loki");
		assertThat(loki.at("/current/value").asString()).as("the default: the provisioned Loki")
			.isEqualTo(provisionedDatasource("loki").get("uid"));
		List<String> references = new ArrayList<>();
		collectDatasourceUids(this.dashboard.path("panels"), references);
		collectDatasourceUids(this.dashboard.at("/templating/list"), references);
		// each datasource type through its variable, never a fixed uid
		assertThat(references).hasSizeGreaterThan(20)
			.allSatisfy((reference) -> assertThat(reference).isIn("prometheus ${datasource}", "loki ${loki}"))
			.contains("loki ${loki}");
	}

	@Test
	void panelsOfRatesStateTheirUnit() {
		for (JsonNode panel : panels()) {
			if (expressions(panel).stream().anyMatch((expr) -> expr.contains("rate("))) {
				assertThat(panel.at("/fieldConfig/defaults/unit").asString()).as("unit of '%s'", title(panel))
					.isNotIn("", "short", "none");
			}
		}
	}

	@Test
	void tokenRatesAreInTokensPerSecond() {
		List<String> checked = new ArrayList<>();
		for (JsonNode panel : panels()) {
			if (expressions(panel).stream()
				.anyMatch((expr) -> expr.contains("llm_token_generation_rate") || (expr.contains("rate(llm_tokens_total")
						&& !expr.contains(" / ")))) {
				assertThat(panel.at("/fieldConfig/defaults/unit").asString()).as("unit of '%s'", title(panel))
					.isEqualTo("suffix: tokens/s");
				checked.add(title(panel));
			}
		}
		assertThat(checked).hasSizeGreaterThanOrEqualTo(3);
	}

	@Test
	void jaegerLinksEncodeSingleValues() {
		Set<String> multiValued = new HashSet<>();
		for (JsonNode variable : this.dashboard.at("/templating/list")) {
			if (variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean()) {
				multiValued.add(variable.path("name").asString());
			}
		}
		assertThat(multiValued).contains("application", "model");
		List<String> urls = new ArrayList<>();
		collectLinkUrls(this.dashboard, urls);
		List<String> jaegerUrls = urls.stream().filter((url) -> url.startsWith("${jaeger_url}")).toList();
		assertThat(jaegerUrls).hasSizeGreaterThan(3);
		for (String url : jaegerUrls) {
			String query = url.substring(url.indexOf('?') + 1);
			Matcher matcher = VARIABLE.matcher(query);
			int variables = 0;
			while (matcher.find()) {
				variables++;
				String name = (matcher.group(1) != null) ? matcher.group(1) : matcher.group(3);
				assertThat(matcher.group(2)).as("format of %s in %s", matcher.group(), url).isEqualTo("percentencode");
				// Jaeger searches one service: an "All" or several values cannot go into one parameter
				assertThat(multiValued).as("multi-valued variable in %s", url).doesNotContain(name);
			}
			assertThat(variables).as(url).isPositive();
		}
	}

	@Test
	void statPanelsDoNotFlicker() {
		for (JsonNode panel : panels()) {
			if (List.of("stat", "gauge", "bargauge").contains(panel.path("type").asString())) {
				assertThat(expressions(panel)).as("queries of '%s'", title(panel))
					.allSatisfy((expr) -> assertThat(expr).doesNotContain("$__rate_interval").doesNotContain("$__interval"));
			}
		}
	}

	@Test
	void quantilesAndRatiosHaveNoMeanInTheLegend() {
		int checked = 0;
		for (JsonNode panel : panels()) {
			boolean quantileOrRatio = expressions(panel).stream()
				.anyMatch((expr) -> expr.contains("histogram_quantile") || (expr.contains(" / ") && expr.contains("rate(")));
			if (quantileOrRatio && panel.at("/options/legend").isObject()) {
				checked++;
				List<String> calcs = new ArrayList<>();
				panel.at("/options/legend/calcs").forEach((calc) -> calcs.add(calc.asString()));
				// a mean of p95 values is not a p95, a mean of ratios is not the ratio of the sums
				assertThat(calcs).as("legend calculations of '%s'", title(panel)).doesNotContain("mean", "sum");
			}
		}
		assertThat(checked).isGreaterThan(5);
	}

	@Test
	void errorRatiosCountZeroErrors() {
		int checked = 0;
		for (JsonNode panel : panels()) {
			for (String expr : expressions(panel)) {
				if (expr.contains("status=\"error\"") && expr.contains(" / ")) {
					checked++;
					// the error series appear only at the first error: without "or TOTAL * 0" no data until then
					Matcher matcher = ERROR_RATIO.matcher(expr);
					assertThat(matcher.matches()).as("'%s': (errors or total * 0) / total: %s", title(panel), expr).isTrue();
					assertThat(matcher.group(2)).as(expr).isEqualTo(matcher.group(3));
					assertThat(matcher.group(1)).as(expr)
						.isEqualTo(matcher.group(3).replace("}[", ", status=\"error\"}["));
				}
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(3);
	}

	/**
	 * A point on a latency panel, or on the errors panel, opens the trace of a call behind it.
	 * Failed calls have no latency bucket but {@code le="+Inf"} (the latency panels read successful
	 * calls), so their exemplars come from {@code llm_errors_total}, which the starter's counter
	 * carries (the starter's end-to-end test reads it in the OpenMetrics scrape).
	 */
	@Test
	void latencyAndErrorTimeSeriesShowExemplars() {
		int latency = 0;
		int errors = 0;
		for (JsonNode panel : panels()) {
			if (!panel.path("type").asString().equals("timeseries")) {
				continue;
			}
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString();
				// not 1 / histogram_quantile(...) (tokens/s): an exemplar's value, in seconds, would not fit its axis
				boolean readsLatency = expr.startsWith("histogram_quantile(") && LLM_LATENCY_BUCKETS.matcher(expr).find();
				boolean readsErrors = expr.contains("rate(llm_errors_total{");
				if (readsLatency || readsErrors) {
					latency += readsLatency ? 1 : 0;
					errors += readsErrors ? 1 : 0;
					assertThat(target.path("exemplar").asBoolean()).as("'%s': exemplars of %s", title(panel), expr)
						.isTrue();
				}
			}
		}
		assertThat(latency).isGreaterThanOrEqualTo(12);
		assertThat(errors).isGreaterThanOrEqualTo(1);
	}

	@Test
	void perCallMeansCountTheSameCalls() {
		int checked = 0;
		for (JsonNode panel : panels()) {
			for (String expr : expressions(panel)) {
				if ((expr.contains("llm_tokens_total") || expr.contains("llm_cost_usd_total")) && expr.contains(" / ")
						&& expr.contains("llm_request_duration_seconds_count")) {
					checked++;
					// tokens and cost carry no status: per call means every call, not only successful ones
					String denominator = expr.substring(expr.indexOf(" / "));
					assertThat(denominator).as("'%s': %s", title(panel), expr).doesNotContain("status=");
				}
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(2);
	}

	@Test
	void everyQueryFiltersByTheSelectedNamespaces() {
		// the rules keep staging and production apart (namespace): the dashboard must too
		JsonNode namespace = variable("namespace");
		assertThat(namespace.path("type").asString()).isEqualTo("query");
		assertThat(namespace.at("/query/query").asString())
			.isEqualTo("label_values(llm_request_duration_seconds_count, namespace)");
		assertThat(namespace.path("multi").asBoolean()).isTrue();
		assertThat(namespace.path("includeAll").asBoolean()).isTrue();
		// ".*" also matches series without a namespace (an application scraped without one)
		assertThat(namespace.path("allValue").asString()).isEqualTo(".*");
		List<String> names = new ArrayList<>();
		this.dashboard.at("/templating/list").forEach((variable) -> names.add(variable.path("name").asString()));
		assertThat(names.indexOf("namespace")).as("namespace before the variables that depend on it, in %s", names)
			.isLessThan(names.indexOf("application"));
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : panels()) {
			queries.addAll(expressions(panel));
		}
		for (JsonNode variable : this.dashboard.at("/templating/list")) {
			if ("query".equals(variable.path("type").asString()) && !"namespace".equals(variable.path("name").asString())) {
				queries.add(variable.at("/query/query").asString());
			}
		}
		int selectors = 0;
		for (String query : queries) {
			for (Pattern pattern : List.of(METRIC_SELECTOR, RECORDED_SELECTOR)) {
				Matcher selector = pattern.matcher(query);
				while (selector.find()) {
					selectors++;
					assertThat(selector.group(2)).as("selector of %s in %s", selector.group(1), query)
						.contains("namespace=~\"$namespace\"");
				}
			}
		}
		assertThat(selectors).isGreaterThan(50);
	}

	@Test
	void aRecordedSeriesIsOneSelectorNotAnApplicationMetric() throws IOException {
		String query = "application:llm_budget_spent:ratio{namespace=~\"$namespace\", application=~\"$application\"}";
		assertThat(METRIC_SELECTOR.matcher(query).find()).as("an application metric inside %s", query).isFalse();
		Matcher recorded = RECORDED_SELECTOR.matcher(query);
		assertThat(recorded.find()).isTrue();
		assertThat(recorded.group(1)).isEqualTo("application:llm_budget_spent:ratio");
		assertThat(recorded.group(2)).contains("namespace=~\"$namespace\"");
		assertThat(recordedSeries()).contains("application:llm_budget_spent:ratio", "application_model:llm_drift_psi:1h_7d")
			.doesNotContain("LlmBudgetExhausted");
	}

	@Test
	void metricNamesAreFoundInQueries() {
		assertThat(metricNames("(sum by (uri) (rate(http_server_requests_seconds_count{status=~\"5..\"}[$__rate_interval])) "
				+ "or sum by (uri) (rate(http_server_requests_seconds_count[5m])) * 0) / on (uri) group_left "
				+ "histogram_quantile(0.95, sum by (le) (rate(b_bucket{le=\"5.0\"}[1m]))) > bool 1 unless c"))
			.containsExactly("b_bucket", "c", "http_server_requests_seconds_count");
		assertThat(metricNames("DCGM_FI_DEV_GPU_UTIL / 100 or llm_gpu_utilization_ratio{application=~\"$application\"}"))
			.containsExactly("DCGM_FI_DEV_GPU_UTIL", "llm_gpu_utilization_ratio");
	}

	@Test
	void everyQueriedMetricIsScrapedOrExported(CapturedOutput output) throws Exception {
		Set<String> queried = new TreeSet<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				if (!"loki".equals(target.at("/datasource/type").asString())) {
					queried.addAll(metricNames(target.path("expr").asString()));
				}
			}
		}
		// the service row: Spring Boot's HTTP server and JVM metrics, the GPU from either source
		assertThat(queried).contains("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
				"jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_pause_seconds_sum", "process_cpu_usage",
				"DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_TEMP", "llm_gpu_temperature_celsius");
		Set<String> exported = new TreeSet<>();
		Set<String> composeServices = composeServices();
		EXPORTER_METRICS.forEach((service, metrics) -> {
			assertThat(composeServices).as("services of docker-compose-monitoring.yml").contains(service);
			exported.addAll(metrics);
		});
		Set<String> expectedInScrape = new TreeSet<>(queried);
		expectedInScrape.removeAll(exported);
		// series of recording rules (level:metric:operations) are no application's: a shipped rule
		// file must record each of them
		Set<String> recordedQueried = new TreeSet<>();
		expectedInScrape.removeIf((name) -> name.contains(":") && recordedQueried.add(name));
		assertThat(recordedSeries()).as("series recorded by prometheus/rules/*.yml").containsAll(recordedQueried);

		int port = startSample();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			System.gc(); // a GC pause for jvm_gc_pause_seconds
			String scrape = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			Set<String> scraped = new HashSet<>();
			for (String line : scrape.split("\n")) {
				if (!line.startsWith("#") && !line.isBlank()) {
					scraped.add(line.split("[{ ]", 2)[0]);
				}
			}
			assertThat(scraped).as("metrics of the sample's scrape").containsAll(expectedInScrape);
			// the SLO buckets that the alert ServiceHttpLatencyP95High reads
			assertThat(scrape.lines()).as("the 5 s bucket of http.server.requests")
				.anyMatch((line) -> line.startsWith("http_server_requests_seconds_bucket{") && line.contains("le=\"5.0\""));
		});
		logsPanelFindsTheCallLinesAndLinksTheirTraceToJaeger(output);
	}

	/** The log panel's query matches the sample's llm_call lines, and the trace id of such a line opens Jaeger. */
	private void logsPanelFindsTheCallLinesAndLinksTheirTraceToJaeger(CapturedOutput output) throws IOException {
		List<JsonNode> logPanels = panels().stream().filter((panel) -> "logs".equals(panel.path("type").asString())).toList();
		assertThat(logPanels).hasSize(1);
		String logQl = logPanels.get(0).at("/targets/0/expr").asString();
		Matcher query = Pattern.compile("\\{(.*)} \\|= \"(\\w+)\"").matcher(logQl);
		assertThat(query.matches()).as(logQl).isTrue();
		String callLine = output.getOut()
			.lines()
			.filter((line) -> line.contains(query.group(2)) && line.contains("trace_id="))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no line with '" + query.group(2) + "' and a trace id in the log"));
		// the stream selector's fixed labels are those that Alloy gives the lines it ships
		String alloy = Files.readString(REPOSITORY.resolve("alloy/config.alloy"));
		Matcher equality = Pattern.compile("(\\w+)=\"([^\"$]+)\"").matcher(query.group(1));
		int fixed = 0;
		while (equality.find()) {
			fixed++;
			assertThat(alloy).as("Alloy's labels").containsPattern(equality.group(1) + "\\s*=\\s*\"" + equality.group(2) + "\"");
		}
		assertThat(fixed).as("fixed labels in " + logQl).isPositive();
		Map<String, Object> derived = derivedField();
		Matcher traceId = Pattern.compile((String) derived.get("matcherRegex")).matcher(callLine);
		assertThat(traceId.find()).as("%s in %s", derived.get("matcherRegex"), callLine).isTrue();
		assertThat(traceId.group(1)).matches("[0-9a-f]{32}");
		assertThat(derived.get("datasourceUid")).isEqualTo(provisionedDatasource("jaeger").get("uid"));
		// $$ is a literal $ in provisioning files: Grafana sees ${__value.raw}, the trace id
		assertThat(derived.get("url")).isEqualTo("$${__value.raw}");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> derivedField() throws IOException {
		Map<String, Object> jsonData = (Map<String, Object>) provisionedDatasource("loki").get("jsonData");
		List<Map<String, Object>> fields = (List<Map<String, Object>>) jsonData.get("derivedFields");
		assertThat(fields).hasSize(1);
		return fields.get(0);
	}

	/** The metric names of a PromQL expression: no function, keyword, label or variable. */
	static Set<String> metricNames(String expr) {
		String code = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^\\]]*]", " ")
			.replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
			.replaceAll("\\b(?:group_left|group_right)\\b", " ");
		Set<String> names = new TreeSet<>();
		Matcher matcher = IDENTIFIER.matcher(code);
		while (matcher.find()) {
			if (!PROMQL_KEYWORDS.contains(matcher.group().toLowerCase())) {
				names.add(matcher.group());
			}
		}
		return names;
	}

	/** The series that the recording rules of prometheus/rules/*.yml record. */
	@SuppressWarnings("unchecked")
	static Set<String> recordedSeries() throws IOException {
		Set<String> recorded = new TreeSet<>();
		try (var files = Files.list(REPOSITORY.resolve("prometheus/rules"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".yml")).toList()) {
				Map<String, Object> rules = new Yaml().load(Files.readString(file));
				for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
					for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
						if (rule.get("record") != null) {
							recorded.add(rule.get("record").toString());
						}
					}
				}
			}
		}
		return recorded;
	}

	@SuppressWarnings("unchecked")
	private static Set<String> composeServices() throws IOException {
		Map<String, Object> compose = new Yaml().load(Files.readString(REPOSITORY.resolve("docker-compose-monitoring.yml")));
		return ((Map<String, Object>) compose.get("services")).keySet();
	}

	/**
	 * The sample application with demo traffic that fails and is slow, every call priced and logged,
	 * and a stand-in nvidia-smi: every series the dashboard reads appears in its scrape.
	 */
	private int startSample() throws IOException {
		Path nvidiaSmi = this.workDir.resolve("nvidia-smi");
		Files.writeString(nvidiaSmi, "#!/bin/sh\necho '0, GPU-6a3b0c1e, NVIDIA H100 80GB HBM3, 35, 1024, 81559, 45, 120.50'\n");
		Files.setPosixFilePermissions(nvidiaSmi, PosixFilePermissions.fromString("rwxr-xr-x"));
		this.sample = SpringApplication.run(SampleApplication.class, "--server.port=0",
				"--spring.application.name=llm-dashboard-check", "--llm.monitor.gpu.command=" + nvidiaSmi,
				"--llm.monitor.gpu.interval=1s", "--sample.demo-traffic.enabled=true",
				"--sample.demo-traffic.requests-per-second=20", "--sample.simulator.error-rate=0.3",
				"--sample.simulator.empty-rate=0.2",
				"--sample.simulator.max-tokens=20", "--llm.monitor.slow-request-threshold=1ms",
				"--llm.monitor.call-log.enabled=true");
		return ((WebServerApplicationContext) this.sample).getWebServer().getPort();
	}

	@AfterEach
	void stopSample() {
		if (this.sample != null) {
			this.sample.close();
		}
	}

	private JsonNode variable(String name) {
		for (JsonNode variable : this.dashboard.at("/templating/list")) {
			if (name.equals(variable.path("name").asString())) {
				return variable;
			}
		}
		throw new AssertionError("no variable " + name);
	}

	private static String provisionedPrometheusUid() throws IOException {
		return (String) provisionedDatasource("prometheus").get("uid");
	}

	/** The provisioned datasource of this type (grafana/provisioning/datasources/datasources.yml). */
	@SuppressWarnings("unchecked")
	static Map<String, Object> provisionedDatasource(String type) throws IOException {
		Map<String, Object> provisioning = new Yaml()
			.load(Files.readString(REPOSITORY.resolve("grafana/provisioning/datasources/datasources.yml")));
		return ((List<Map<String, Object>>) provisioning.get("datasources")).stream()
			.filter((datasource) -> type.equals(datasource.get("type")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no provisioned datasource of type " + type));
	}

	/** "type uid" of every datasource reference under this node but Grafana's own. */
	private static void collectDatasourceUids(JsonNode node, List<String> uids) {
		if (node.isObject()) {
			JsonNode datasource = node.path("datasource");
			if (datasource.isObject() && !"grafana".equals(datasource.path("type").asString())) {
				uids.add(datasource.path("type").asString() + " " + datasource.path("uid").asString());
			}
		}
		if (node.isContainer()) {
			for (JsonNode child : node) {
				collectDatasourceUids(child, uids);
			}
		}
	}

	private static void collectLinkUrls(JsonNode node, List<String> urls) {
		if (node.isObject()) {
			for (JsonNode link : node.path("links")) {
				if (link.has("url")) {
					urls.add(link.path("url").asString());
				}
			}
		}
		if (node.isContainer()) {
			for (JsonNode child : node) {
				collectLinkUrls(child, urls);
			}
		}
	}

	/** Every panel, those inside rows included. */
	private List<JsonNode> panels() {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : this.dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		assertThat(panels).hasSizeGreaterThan(20);
		return panels;
	}

	private static List<String> expressions(JsonNode panel) {
		List<String> expressions = new ArrayList<>();
		panel.path("targets").forEach((target) -> expressions.add(target.path("expr").asString()));
		return expressions;
	}

	private static String title(JsonNode panel) {
		return panel.path("title").asString();
	}

}
