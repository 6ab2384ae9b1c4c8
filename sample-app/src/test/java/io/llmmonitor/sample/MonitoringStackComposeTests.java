package io.llmmonitor.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole compose stack, {@code docker-compose-monitoring.yml}, started by Testcontainers with
 * the sample application beside it (in this JVM, on port 8080, where the stack's Prometheus
 * scrapes {@code host.docker.internal:8080}; spans to the stack's Jaeger; its log file in the
 * folder that the stack's Alloy ships to Loki). Checked through the HTTP APIs: Prometheus has every
 * target up and every rule group of {@code prometheus/rules} loaded and healthy, Grafana lists the
 * provisioned dashboard and each of its datasources answers a query through Grafana, Jaeger holds
 * the sample's LLM call spans, and Loki holds {@code llm_call} lines whose trace is in Jaeger.
 * <p>
 * Runs wherever Docker runs (it pulls the stack's images: minutes the first time); without Docker
 * it is skipped: "disabledWithoutDocker is true and Docker is not available". Port 8080 must be
 * free, and the stack's loopback ports too (no other copy of the stack running).
 */
@Testcontainers(disabledWithoutDocker = true)
class MonitoringStackComposeTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	private static final String APPLICATION = "llm-sample";

	private static final String GRAFANA_PASSWORD = UUID.randomUUID().toString();

	private static final Path LOG_DIR = createLogDir();

	@Container
	static final ComposeContainer stack = new ComposeContainer(REPOSITORY.resolve("docker-compose-monitoring.yml").toFile())
		.withEnv("GRAFANA_ADMIN_PASSWORD", GRAFANA_PASSWORD)
		.withEnv("LLM_SAMPLE_LOG_DIR", LOG_DIR.toString())
		.withExposedService("prometheus", 9090, Wait.forHttp("/-/ready"))
		.withExposedService("grafana", 3000, Wait.forHttp("/api/health"))
		.withExposedService("jaeger", 16686)
		.withExposedService("jaeger", 4318)
		.withExposedService("loki", 3100, Wait.forHttp("/ready"))
		.withStartupTimeout(Duration.ofMinutes(10));

	private static ConfigurableApplicationContext sample;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void startSample() {
		sample = SpringApplication.run(SampleApplication.class, "--server.port=8080",
				"--spring.application.name=" + APPLICATION, "--sample.demo-traffic.enabled=true",
				"--sample.demo-traffic.requests-per-second=5", "--llm.monitor.call-log.enabled=true",
				"--logging.file.name=" + LOG_DIR.resolve("llm-sample.log"),
				"--management.opentelemetry.tracing.export.otlp.endpoint=" + url("jaeger", 4318) + "/v1/traces");
	}

	@AfterAll
	static void stopSample() {
		if (sample != null) {
			sample.close();
		}
	}

	@Test
	void prometheusHasEveryTargetUpAndEveryRuleGroupLoaded() {
		Set<String> jobs = scrapeJobs();
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
			JsonNode targets = get(url("prometheus", 9090) + "/api/v1/targets?state=active").at("/data/activeTargets");
			Set<String> up = new TreeSet<>();
			for (JsonNode target : targets) {
				assertThat(target.path("health").asString()).as("health of %s (%s): %s", target.path("scrapeUrl").asString(),
						target.at("/labels/job").asString(), target.path("lastError").asString()).isEqualTo("up");
				up.add(target.at("/labels/job").asString());
			}
			// dcgm finds no target without the profile gpu: every other job has one, up
			Set<String> expected = new TreeSet<>(jobs);
			expected.remove("dcgm");
			assertThat(up).containsExactlyInAnyOrderElementsOf(expected);
		});
		Map<String, List<String>> ruleFiles = ruleGroups();
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
			Set<String> groups = new TreeSet<>();
			List<String> rules = new ArrayList<>();
			for (JsonNode group : get(url("prometheus", 9090) + "/api/v1/rules").at("/data/groups")) {
				groups.add(group.path("name").asString());
				for (JsonNode rule : group.path("rules")) {
					assertThat(rule.path("health").asString()).as("health of %s: %s", rule.path("name").asString(),
							rule.path("lastError").asString()).isEqualTo("ok");
					rules.add(rule.path("name").asString());
				}
			}
			assertThat(groups).containsExactlyInAnyOrderElementsOf(ruleFiles.keySet());
			assertThat(rules).containsExactlyInAnyOrderElementsOf(ruleFiles.values().stream().flatMap(List::stream).toList());
		});
	}

	@Test
	void grafanaListsTheDashboardAndItsDatasourcesAnswer() throws Exception {
		String grafana = url("grafana", 3000);
		JsonNode dashboards = get(grafana + "/api/search?type=dash-db");
		List<String> uids = new ArrayList<>();
		dashboards.forEach((dashboard) -> uids.add(dashboard.path("uid").asString()));
		assertThat(uids).contains(this.json.readTree(REPOSITORY.resolve("grafana/dashboards/llm-performance.json").toFile())
			.path("uid")
			.asString());
		// each provisioned datasource answers a query of its own kind, through Grafana's proxy
		Map<String, String> queries = Map.of("prometheus", "/api/v1/query?query=up", "loki", "/loki/api/v1/labels",
				"jaeger", "/api/services");
		List<String> types = new ArrayList<>();
		for (JsonNode datasource : get(grafana + "/api/datasources")) {
			String type = datasource.path("type").asString();
			types.add(type);
			assertThat(queries).as("a query for datasources of type %s", type).containsKey(type);
			await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
					status(grafana + "/api/datasources/proxy/uid/" + datasource.path("uid").asString() + queries.get(type)))
				.as("datasource %s", datasource.path("name").asString())
				.isEqualTo(200));
		}
		assertThat(types).containsExactlyInAnyOrder("prometheus", "jaeger", "loki");
	}

	@Test
	void jaegerHoldsTheSamplesTracesAndLokiItsCallLinesWithTheirTraceIds() {
		String jaeger = url("jaeger", 16686);
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
			List<String> operations = new ArrayList<>();
			for (JsonNode trace : get(jaeger + "/api/traces?service=" + APPLICATION + "&limit=50&lookback=1h").path("data")) {
				trace.path("spans").forEach((span) -> operations.add(span.path("operationName").asString()));
			}
			// the LLM call's span, "{operation} {model}"
			assertThat(operations).anySatisfy((operation) -> assertThat(operation).startsWith("chat "));
		});
		Pattern traceId = Pattern.compile("trace_id=([0-9a-f]{32})");
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
			String query = URLEncoder.encode("{job=\"llm-apps\", application=\"" + APPLICATION + "\"} |= \"llm_call\"",
					StandardCharsets.UTF_8);
			long start = Instant.now().minus(Duration.ofHours(1)).toEpochMilli() * 1_000_000;
			JsonNode streams = get(url("loki", 3100) + "/loki/api/v1/query_range?limit=20&start=" + start + "&query=" + query)
				.at("/data/result");
			List<String> lines = new ArrayList<>();
			streams.forEach((stream) -> stream.path("values").forEach((value) -> lines.add(value.path(1).asString())));
			assertThat(lines).isNotEmpty();
			Matcher matcher = traceId.matcher(lines.get(0));
			assertThat(matcher.find()).as(lines.get(0)).isTrue();
			// the trace that the log line names is in Jaeger: the link of the logs panel leads somewhere
			assertThat(status(jaeger + "/api/traces/" + matcher.group(1))).isEqualTo(200);
		});
	}

	private JsonNode get(String url) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request(url), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private int status(String url) throws IOException, InterruptedException {
		return this.http.send(request(url), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static HttpRequest request(String url) {
		String basic = Base64.getEncoder().encodeToString(("admin:" + GRAFANA_PASSWORD).getBytes(StandardCharsets.UTF_8));
		return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Basic " + basic).GET().build();
	}

	private static String url(String service, int port) {
		return "http://" + stack.getServiceHost(service, port) + ":" + stack.getServicePort(service, port);
	}

	/** The jobs of prometheus/prometheus.yml. */
	@SuppressWarnings("unchecked")
	private static Set<String> scrapeJobs() {
		Map<String, Object> config = yaml(REPOSITORY.resolve("prometheus/prometheus.yml"));
		Set<String> jobs = new TreeSet<>();
		((List<Map<String, Object>>) config.get("scrape_configs")).forEach((job) -> jobs.add((String) job.get("job_name")));
		assertThat(jobs).contains("llm-apps", "node", "dcgm", "loki", "alloy");
		return jobs;
	}

	/** The rules of every group of every file of prometheus/rules, by group name. */
	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> ruleGroups() {
		Map<String, List<String>> groups = new TreeMap<>();
		try (Stream<Path> files = Files.list(REPOSITORY.resolve("prometheus/rules"))) {
			files.filter((file) -> file.toString().endsWith(".yml")).forEach((file) -> {
				for (Map<String, Object> group : (List<Map<String, Object>>) yaml(file).get("groups")) {
					List<String> names = new ArrayList<>();
					for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
						names.add((String) (rule.containsKey("alert") ? rule.get("alert") : rule.get("record")));
					}
					groups.put((String) group.get("name"), names);
				}
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return groups;
	}

	private static Map<String, Object> yaml(Path file) {
		try {
			return new Yaml().load(Files.readString(file));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path createLogDir() {
		try {
			Path dir = Files.createTempDirectory("llm-sample-logs");
			// Alloy's container user must read what the application writes
			dir.toFile().setReadable(true, false);
			dir.toFile().setExecutable(true, false);
			return dir;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
