package io.llmmonitor.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.llmmonitor.docs.MarkdownTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property table of {@code docs/reference.md} against the configuration metadata that the
 * build generates ({@code META-INF/spring-configuration-metadata.json}, merged with the additional
 * metadata): every property of the metadata has its row, every row names a property of the
 * metadata, and a documented default is the metadata's. The table is written by hand, so that its
 * meanings can say more than the fields' Javadoc (links, ranges, examples); this test keeps its
 * names and defaults from drifting.
 */
class PropertyReferenceTests {

	private static final Path REFERENCE = Path.of("..").toAbsolutePath().normalize().resolve("docs/reference.md");

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	/** A cell that is one code span: a property name, or a default. */
	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	/** A placeholder such as {@code <model>} in a property name. */
	private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]+>");

	/** A dash and the letter after it, in a property name: {@code call-log} is {@code callLog}. */
	private static final Pattern KEBAB = Pattern.compile("-([a-z])");

	private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<[^,]+,(.+)>");

	private static Map<String, Optional<String>> metadata;

	private static String reference;

	@BeforeAll
	static void read() throws IOException {
		metadata = metadataProperties();
		reference = Files.readString(REFERENCE);
	}

	@Test
	void everyPropertyOfTheMetadataIsDocumentedWithItsDefaultAndNoOther() {
		assertThat(metadata).containsKey("llm.monitor.enabled").containsKey("llm.monitor.pricing.<*>.input");
		assertThat(problems(reference, metadata)).isEmpty();
	}

	/**
	 * The metadata's defaults are written by hand where the build cannot read them (lists built in
	 * code, such as the histogram buckets): each, bound as a user would set it, gives the default of
	 * the properties, so that the IDE, the table and the code say the same.
	 */
	@Test
	void everyDefaultOfTheMetadataIsTheDefaultOfTheProperties() {
		assertThat(metadata.get("llm.monitor.histogram.request-duration")).isPresent();
		BeanWrapperImpl defaults = new BeanWrapperImpl(new LlmMonitorProperties());
		List<String> problems = new ArrayList<>();
		metadata.forEach((name, value) -> {
			if (value.isEmpty() || !name.startsWith("llm.monitor.") || name.contains("<*>")) {
				return;
			}
			LlmMonitorProperties bound = new Binder(new MapConfigurationPropertySource(Map.of(name, value.get())))
				.bind("llm.monitor", Bindable.ofInstance(new LlmMonitorProperties()))
				.get();
			String path = KEBAB.matcher(name.substring("llm.monitor.".length()))
				.replaceAll((match) -> match.group(1).toUpperCase());
			Object expected = defaults.getPropertyValue(path);
			Object actual = new BeanWrapperImpl(bound).getPropertyValue(path);
			if (!Objects.equals(expected, actual)) {
				problems.add(name + ": the metadata's default `" + value.get() + "` binds to " + actual
						+ ", the properties' default is " + expected);
			}
		});
		assertThat(problems).isEmpty();
	}

	@Test
	void aPropertyMissingFromTheTableIsReported() {
		String withoutRow = reference.replaceFirst("(?m)^\\| `llm\\.monitor\\.gpu\\.interval` \\|.*\\n", "");
		assertThat(withoutRow).isNotEqualTo(reference);
		assertThat(problems(withoutRow, metadata)).containsExactly(
				"llm.monitor.gpu.interval: in the configuration metadata, missing from the table");
	}

	@Test
	void aRowThatNamesNoPropertyIsReported() {
		String withRow = reference.replaceFirst("(?m)^(\\| `llm\\.monitor\\.gpu\\.interval` \\|.*\\n)",
				"$1| `llm.monitor.gpu.intervall` | `15s` | a typo |\n| `llm.monitor.pricing.<model>.outputs` | (none) | no such price |\n");
		assertThat(problems(withRow, metadata)).containsExactly(
				"llm.monitor.gpu.intervall: in the table, not in the configuration metadata",
				"llm.monitor.pricing.<*>.outputs: in the table, not in the configuration metadata");
	}

	@Test
	void aDefaultThatDiffersIsReported() {
		String changed = reference.replace("| `llm.monitor.gpu.interval` | `15s` |", "| `llm.monitor.gpu.interval` | `10s` |")
			.replace("| `llm.monitor.budget.daily-usd` | (none) |", "| `llm.monitor.budget.daily-usd` | `50` |")
			.replace("| `llm.monitor.call-log.enabled` | `false` |", "| `llm.monitor.call-log.enabled` | (off) |");
		assertThat(problems(changed, metadata)).containsExactlyInAnyOrder(
				"llm.monitor.gpu.interval: documented default `10s`, the metadata's `15s`",
				"llm.monitor.budget.daily-usd: documented default `50`, the metadata has none",
				"llm.monitor.call-log.enabled: no documented default, the metadata's `false`");
	}

	@Test
	void aRowTwiceIsReported() {
		String twice = reference.replaceFirst("(?m)^(\\| `llm\\.monitor\\.gpu\\.interval` \\|.*\\n)", "$1$1");
		assertThat(problems(twice, metadata)).containsExactly("llm.monitor.gpu.interval: more than one row");
	}

	/**
	 * What differs between the property table of the markdown text and the metadata.
	 * @param markdown the text of {@code docs/reference.md}
	 * @param properties property name to rendered default, from the metadata
	 * @return one line per difference, in the order of the table then of the metadata
	 */
	static List<String> problems(String markdown, Map<String, Optional<String>> properties) {
		List<String> problems = new ArrayList<>();
		Map<String, Optional<String>> documented = new LinkedHashMap<>();
		for (List<String> row : MarkdownTables.rows(markdown, "Properties", "property")) {
			Matcher name = CODE.matcher(row.get(0));
			if (row.size() < 3 || !name.matches()) {
				problems.add("a row names no single property: " + row);
				continue;
			}
			String property = PLACEHOLDER.matcher(name.group(1)).replaceAll("<*>");
			Matcher code = CODE.matcher(row.get(1));
			Optional<String> documentedDefault = code.matches() ? Optional.of(code.group(1)) : Optional.empty();
			if (documentedDefault.isEmpty() && !row.get(1).startsWith("(")) {
				problems.add(property + ": the default is neither `a value` nor (a remark): " + row.get(1));
			}
			if (documented.put(property, documentedDefault) != null) {
				problems.add(property + ": more than one row");
			}
			else if (!properties.containsKey(property)) {
				problems.add(property + ": in the table, not in the configuration metadata");
			}
			else if (!properties.get(property).equals(documentedDefault)) {
				problems.add(property + ": " + describe(documentedDefault, properties.get(property)));
			}
		}
		properties.keySet()
			.stream()
			.filter((property) -> !documented.containsKey(property))
			.forEach((property) -> problems.add(property + ": in the configuration metadata, missing from the table"));
		return problems;
	}

	private static String describe(Optional<String> documented, Optional<String> expected) {
		String metadataDefault = expected.map((value) -> "the metadata's `" + value + "`").orElse("the metadata has none");
		return documented.map((value) -> "documented default `" + value + "`, ").orElse("no documented default, ")
				+ metadataDefault;
	}

	/**
	 * The properties of llm-monitor's metadata with their rendered default: a map property stands for
	 * one property per bean property of its values ({@code llm.monitor.pricing.<*>.input}), or for
	 * {@code name.<*>} when its values are plain.
	 */
	private static Map<String, Optional<String>> metadataProperties() throws IOException {
		List<Map<String, Object>> entries = null;
		for (URL url : Collections.list(PropertyReferenceTests.class.getClassLoader().getResources(METADATA))) {
			try (InputStream in = url.openStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				Map<String, List<Map<String, Object>>> document = JsonPath.read(json, "$");
				boolean ours = document.getOrDefault("groups", List.of())
					.stream()
					.anyMatch((group) -> LlmMonitorProperties.class.getName().equals(group.get("type")));
				if (ours) {
					assertThat(entries).as("one metadata file of llm-monitor on the class path").isNull();
					entries = document.get("properties");
				}
			}
		}
		assertThat(entries).as(METADATA + " of llm-monitor-autoconfigure").isNotNull();
		Map<String, Optional<String>> properties = new LinkedHashMap<>();
		for (Map<String, Object> entry : entries) {
			String name = (String) entry.get("name");
			Matcher map = MAP_TYPE.matcher((String) entry.get("type"));
			if (map.matches()) {
				for (String key : beanProperties(map.group(1))) {
					properties.put(name + ".<*>" + key, Optional.empty());
				}
			}
			else {
				properties.put(name, Optional.ofNullable(entry.get("defaultValue")).map(PropertyReferenceTests::render));
			}
		}
		return properties;
	}

	/** {@code .input}, {@code .cached-input}, … of a bean type of llm-monitor; one empty key otherwise. */
	private static List<String> beanProperties(String valueType) {
		if (!valueType.startsWith("io.llmmonitor.")) {
			return List.of("");
		}
		try {
			Class<?> type = Class.forName(valueType, false, PropertyReferenceTests.class.getClassLoader());
			List<String> keys = new ArrayList<>();
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				if (descriptor.getReadMethod() != null && descriptor.getWriteMethod() != null) {
					keys.add("." + descriptor.getName().replaceAll("([A-Z])", "-$1").toLowerCase());
				}
			}
			assertThat(keys).as("bindable properties of " + valueType).isNotEmpty();
			return keys;
		}
		catch (ClassNotFoundException ex) {
			throw new AssertionError("the metadata names " + valueType + ", which is not on the class path", ex);
		}
	}

	/** A default as the table writes it: a list comma-separated, a whole number without {@code .0}. */
	private static String render(Object value) {
		if (value instanceof List<?> list) {
			return list.stream().map(PropertyReferenceTests::render).collect(Collectors.joining(", "));
		}
		if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
			return Long.toString(number.longValue());
		}
		return String.valueOf(value);
	}

}
