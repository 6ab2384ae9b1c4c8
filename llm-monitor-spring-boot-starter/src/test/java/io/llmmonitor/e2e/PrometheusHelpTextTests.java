package io.llmmonitor.e2e;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code llm_*} family of a scrape has help text, as {@code promtool check metrics} asks:
 * the duration timers too, which Spring Boot's default observation handler registers.
 */
@SpringBootTest(classes = ChatApplication.class,
		properties = { "spring.main.web-application-type=reactive", "management.tracing.export.enabled=false",
				"llm.monitor.pricing.gpt-4o.input=2.50", "llm.monitor.pricing.gpt-4o.output=10.00",
				"llm.monitor.slow-request-threshold=1ms" })
class PrometheusHelpTextTests {

	private static final Pattern TYPE = Pattern.compile("^# TYPE (llm_\\S+) \\S+$", Pattern.MULTILINE);

	private static final Pattern HELP = Pattern.compile("^# HELP (llm_\\S+) ?(.*)$", Pattern.MULTILINE);

	@Autowired
	private ChatApplication.ChatController controller;

	@Autowired
	private PrometheusMeterRegistry registry;

	@Test
	void everyLlmFamilyHasHelpText() {
		ScrapedCalls.makeEveryKind(this.controller);

		String scrape = this.registry.scrape();

		Map<String, String> help = new TreeMap<>();
		Matcher helpLines = HELP.matcher(scrape);
		while (helpLines.find()) {
			help.put(helpLines.group(1), helpLines.group(2).trim());
		}
		Matcher typeLines = TYPE.matcher(scrape);
		Map<String, String> families = new TreeMap<>();
		while (typeLines.find()) {
			families.put(typeLines.group(1), help.getOrDefault(typeLines.group(1), ""));
		}
		assertThat(families).containsKeys("llm_request_duration_seconds", "llm_request_duration_seconds_max",
				"llm_request_duration_active_seconds", "llm_endpoint_duration_seconds",
				"llm_endpoint_duration_active_seconds", "llm_time_to_first_token_seconds", "llm_tokens_total",
				"llm_cost_usd_total", "llm_active_requests", "llm_slow_requests_total");
		assertThat(families).allSatisfy((family, text) -> assertThat(text).as(family).isNotBlank());
	}

}
