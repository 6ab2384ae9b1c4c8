package io.llmmonitor.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Grafana dashboard, read as JSON: what it must get right whatever data it shows
 * ({@link MonitoringStackEndToEndTests} runs its queries against live data).
 */
class GrafanaDashboardTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	private static final Path DASHBOARD = REPOSITORY.resolve("grafana/dashboards/llm-performance.json");

	/** {@code ${name}}, {@code ${name:format}} or {@code ${name.path:format}}; {@code $name}. */
	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([\\w.]+)(?::(\\w+))?}|\\$(\\w+)");

	/** {@code (ERRORS or TOTAL * 0) / TOTAL}, possibly after {@code 1 - }. */
	private static final Pattern ERROR_RATIO = Pattern.compile("(?:1 - )?\\((.+) or (.+) \\* 0\\) / (.+)");

	/** A selector of an llm_* series, its label matchers (null without braces). */
	private static final Pattern METRIC_SELECTOR = Pattern.compile("\\b(llm_\\w+)(\\{[^}]*})?");

	private final JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());

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
		List<String> references = new ArrayList<>();
		collectDatasourceUids(this.dashboard.path("panels"), references);
		collectDatasourceUids(this.dashboard.at("/templating/list"), references);
		assertThat(references).hasSizeGreaterThan(20).allSatisfy((uid) -> assertThat(uid).isEqualTo("${datasource}"));
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
			Matcher selector = METRIC_SELECTOR.matcher(query);
			while (selector.find()) {
				selectors++;
				assertThat(selector.group(2)).as("selector of %s in %s", selector.group(1), query)
					.contains("namespace=~\"$namespace\"");
			}
		}
		assertThat(selectors).isGreaterThan(50);
	}

	private JsonNode variable(String name) {
		for (JsonNode variable : this.dashboard.at("/templating/list")) {
			if (name.equals(variable.path("name").asString())) {
				return variable;
			}
		}
		throw new AssertionError("no variable " + name);
	}

	@SuppressWarnings("unchecked")
	private static String provisionedPrometheusUid() throws IOException {
		Map<String, Object> provisioning = new Yaml()
			.load(Files.readString(REPOSITORY.resolve("grafana/provisioning/datasources/datasources.yml")));
		return ((List<Map<String, Object>>) provisioning.get("datasources")).stream()
			.filter((datasource) -> "prometheus".equals(datasource.get("type")))
			.map((datasource) -> (String) datasource.get("uid"))
			.findFirst()
			.orElseThrow();
	}

	/** The uid of every Prometheus datasource reference under this node. */
	private static void collectDatasourceUids(JsonNode node, List<String> uids) {
		if (node.isObject()) {
			JsonNode datasource = node.path("datasource");
			if (datasource.isObject() && !"grafana".equals(datasource.path("type").asString())) {
				uids.add(datasource.path("uid").asString());
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
