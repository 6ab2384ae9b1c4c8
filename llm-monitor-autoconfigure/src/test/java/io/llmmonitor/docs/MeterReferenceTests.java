package io.llmmonitor.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;

import io.llmmonitor.observation.LlmObservationDocumentation;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meter, span attribute and span event tables of {@code docs/reference.md} against their one
 * source: {@link LlmMeters} (name as scraped, type, unit, tag keys), the key names of
 * {@link LlmObservationDocumentation} (observation, cardinality) and its events. A row missing, a
 * row that names nothing of the source, and a field that differs are each reported, as
 * {@code PropertyReferenceTests} does for the properties.
 */
class MeterReferenceTests {

	private static final Path REFERENCE = Path.of("..").toAbsolutePath().normalize().resolve("docs/reference.md");

	private static String reference;

	@BeforeAll
	static void read() throws IOException {
		reference = Files.readString(REFERENCE);
	}

	@Test
	void everyMeterSpanAttributeAndEventIsDocumentedAsItsSourceSays() {
		assertThat(documentedMeters()).containsKey("llm_tokens_total").containsKey("llm_request_duration_seconds");
		assertThat(documentedKeys()).containsKey("gen_ai.request.model").containsKey("endpoint");
		assertThat(problems(reference)).isEmpty();
	}

	@Test
	void aRowMissingFromATableIsReported() {
		String withoutRows = reference.replaceFirst("(?m)^\\| `llm_errors_total` \\|.*\\n", "")
			.replaceFirst("(?m)^\\| `llm\\.cost\\.usd` \\|.*\\n", "")
			.replaceFirst("(?m)^\\| `llm\\.slow_call` \\|.*\\n", "");
		assertThat(problems(withoutRows)).containsExactly(
				"llm_errors_total: in LlmMeters, missing from the table",
				"llm.cost.usd: in LlmObservationDocumentation, missing from the table",
				"llm.slow_call: in LlmObservationDocumentation, missing from the table");
	}

	@Test
	void aRowThatNamesNothingOfTheSourceIsReported() {
		String withRows = reference
			.replaceFirst("(?m)^(\\| `llm_errors_total` \\|.*\\n)",
					"$1| `llm_retries_total` | counter | (none) | `model` | not a meter |\n")
			.replaceFirst("(?m)^(\\| `llm\\.cost\\.usd` \\|.*\\n)",
					"$1| `llm.cost.eur` | `llm.request.duration` | high | no such key |\n")
			.replaceFirst("(?m)^(\\| `llm\\.slow_call` \\|.*\\n)", "$1| `llm.fast_call` | no such event |\n");
		assertThat(problems(withRows)).containsExactly("llm_retries_total: in the table, not in LlmMeters",
				"llm.cost.eur: in the table, not in LlmObservationDocumentation",
				"llm.fast_call: in the table, not in LlmObservationDocumentation");
	}

	@Test
	void aFieldThatDiffersIsReported() {
		String changed = reference
			.replace("| `llm_active_requests` | gauge |", "| `llm_active_requests` | counter |")
			.replace("| `llm_gpu_power_watts` | gauge | `watts` |", "| `llm_gpu_power_watts` | gauge | `watt` |")
			.replace("| `llm_slow_requests_total` | counter | (none) | `model`, `provider`, `operation`, `reason` |",
					"| `llm_slow_requests_total` | counter | (none) | `model`, `provider`, `reason`, `threshold` |")
			.replace("| `endpoint` | `llm.endpoint.duration` | low |", "| `endpoint` | `llm.endpoint.duration` | high |")
			.replace("| `gen_ai.request.stream` | `llm.request.duration` |",
					"| `gen_ai.request.stream` | `llm.endpoint.duration` |");
		assertThat(problems(changed)).containsExactly(
				"llm_active_requests: documented type counter, LlmMeters says type gauge",
				"llm_slow_requests_total: documented tags [model, provider, reason, threshold], "
						+ "LlmMeters says tags [model, operation, provider, reason]",
				"llm_gpu_power_watts: documented unit watt, LlmMeters says unit watts",
				"endpoint: documented cardinality high, LlmObservationDocumentation says cardinality low",
				"gen_ai.request.stream: documented observation llm.endpoint.duration, "
						+ "LlmObservationDocumentation says observation llm.request.duration");
	}

	@Test
	void aRowTwiceIsReported() {
		String twice = reference.replaceFirst("(?m)^(\\| `llm_errors_total` \\|.*\\n)", "$1$1");
		assertThat(problems(twice)).containsExactly("llm_errors_total: more than one row");
	}

	/** What differs between the tables of the markdown text and their source, one line each. */
	static List<String> problems(String markdown) {
		List<String> problems = new ArrayList<>();
		compare("LlmMeters", documentedMeters(), meterRows(markdown, problems), problems);
		compare("LlmObservationDocumentation", documentedKeys(), keyRows(markdown, problems), problems);
		compare("LlmObservationDocumentation", documentedEvents(), eventRows(markdown, problems), problems);
		return problems;
	}

	/**
	 * Every row against the source, then every name of the source without a row.
	 * @param expected name to the fields that a row shows, each as {@code label value}
	 * @param rows the same, as the table shows them
	 */
	private static void compare(String source, Map<String, List<String>> expected, Map<String, List<String>> rows,
			List<String> problems) {
		rows.forEach((name, fields) -> {
			List<String> wanted = expected.get(name);
			if (wanted == null) {
				problems.add(name + ": in the table, not in " + source);
				return;
			}
			for (int i = 0; i < fields.size(); i++) {
				if (!fields.get(i).equals(wanted.get(i))) {
					problems.add(name + ": documented " + fields.get(i) + ", " + source + " says " + wanted.get(i));
				}
			}
		});
		expected.keySet()
			.stream()
			.filter((name) -> !rows.containsKey(name))
			.forEach((name) -> problems.add(name + ": in " + source + ", missing from the table"));
	}

	/** Each meter as a table shows it: scraped name to type, unit and tag keys. */
	static Map<String, List<String>> documentedMeters() {
		Map<String, List<String>> meters = new LinkedHashMap<>();
		for (LlmMeters meter : LlmMeters.values()) {
			String unit = scrapedUnit(meter);
			String name = meter.getName().replace('.', '_') + ((unit != null) ? "_" + unit : "")
					+ ((meter.getType() == Meter.Type.COUNTER) ? "_total" : "");
			TreeSet<String> tags = new TreeSet<>();
			for (KeyName key : meter.getKeyNames()) {
				tags.add(key.asString());
			}
			meters.put(name, List.of("type " + typeName(meter.getType()), "tags " + tags,
					"unit " + Objects.requireNonNullElse(unit, "(none)")));
		}
		return meters;
	}

	/** Each span attribute: key to the observations that have it and its cardinality. */
	static Map<String, List<String>> documentedKeys() {
		Map<String, TreeSet<String>> observations = new LinkedHashMap<>();
		Map<String, TreeSet<String>> cardinalities = new LinkedHashMap<>();
		for (LlmObservationDocumentation documentation : LlmObservationDocumentation.values()) {
			String observation = observationName(documentation);
			Map<String, KeyName[]> keysByCardinality = Map.of("low", documentation.getLowCardinalityKeyNames(), "high",
					documentation.getHighCardinalityKeyNames());
			keysByCardinality.forEach((cardinality, keys) -> {
				for (KeyName key : keys) {
					observations.computeIfAbsent(key.asString(), (name) -> new TreeSet<>()).add(observation);
					cardinalities.computeIfAbsent(key.asString(), (name) -> new TreeSet<>()).add(cardinality);
				}
			});
		}
		Map<String, List<String>> keys = new LinkedHashMap<>();
		observations.forEach((key, names) -> keys.put(key,
				List.of("observation " + String.join(", ", names), "cardinality " + String.join(", ", cardinalities.get(key)))));
		return keys;
	}

	/** Each span event: its name, with nothing more to compare. */
	static Map<String, List<String>> documentedEvents() {
		Map<String, List<String>> events = new LinkedHashMap<>();
		for (LlmObservationDocumentation documentation : LlmObservationDocumentation.values()) {
			for (Observation.Event event : documentation.getEvents()) {
				events.put(event.getName(), List.of());
			}
		}
		return events;
	}

	private static Map<String, List<String>> meterRows(String markdown, List<String> problems) {
		return table(markdown, "Metrics", "Prometheus name", 4, problems, (row) -> {
			String type = row.get(1).replaceFirst(" \\(.*\\)$", "");
			List<String> tags = MarkdownTables.codeSpans(row.get(3));
			if (!row.get(3).equals("(none)") && !row.get(3).equals(tagCell(tags))) {
				problems.add(row.get(0) + ": the tags cell holds more than the tag keys: " + row.get(3));
			}
			List<String> units = MarkdownTables.codeSpans(row.get(2));
			return List.of("type " + type, "tags " + new TreeSet<>(tags),
					"unit " + (units.size() == 1 ? units.get(0) : "(none)"));
		});
	}

	private static Map<String, List<String>> keyRows(String markdown, List<String> problems) {
		return table(markdown, "Spans", "attribute", 3, problems,
				(row) -> List.of("observation " + String.join(", ", new TreeSet<>(MarkdownTables.codeSpans(row.get(1)))),
						"cardinality " + row.get(2)));
	}

	private static Map<String, List<String>> eventRows(String markdown, List<String> problems) {
		return table(markdown, "Spans", "event", 1, problems, (row) -> List.of());
	}

	/** The rows of one table, each by the code span of its first cell. */
	private static Map<String, List<String>> table(String markdown, String section, String firstHeader, int cells,
			List<String> problems, Function<List<String>, List<String>> fields) {
		Map<String, List<String>> rows = new LinkedHashMap<>();
		for (List<String> row : MarkdownTables.rows(markdown, section, firstHeader)) {
			Matcher name = MarkdownTables.CODE.matcher(row.get(0));
			if (row.size() < cells || !name.matches()) {
				problems.add("a row names no single " + firstHeader + ": " + row);
			}
			else if (rows.put(name.group(1), fields.apply(row)) != null) {
				problems.add(name.group(1) + ": more than one row");
			}
		}
		return rows;
	}

	private static String tagCell(List<String> tags) {
		return String.join(", ", tags.stream().map((tag) -> "`" + tag + "`").toList());
	}

	/** Prometheus names a timer in seconds, its base time unit; the documentation leaves it to the registry. */
	private static String scrapedUnit(LlmMeters meter) {
		boolean timer = meter.getType() == Meter.Type.TIMER || meter.getType() == Meter.Type.LONG_TASK_TIMER;
		return timer ? "seconds" : meter.getBaseUnit();
	}

	/** {@code LONG_TASK_TIMER} as the table writes it: {@code long task timer}. */
	private static String typeName(Meter.Type type) {
		return type.name().toLowerCase(Locale.ROOT).replace('_', ' ');
	}

	/** The observation's name, as its default convention gives it ({@code llm.request.duration}). */
	private static String observationName(LlmObservationDocumentation documentation) {
		String name = BeanUtils.instantiateClass(documentation.getDefaultConvention()).getName();
		assertThat(name).as(documentation + "'s name").isNotNull();
		return name;
	}

}
