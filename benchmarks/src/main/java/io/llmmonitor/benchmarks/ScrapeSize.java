package io.llmmonitor.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Size of the scrape that {@link ScrapeBenchmark} times (50 models x 3 operations x every status),
 * in bytes and lines per metric family, largest first, as a Markdown table:
 * {@code java -cp benchmarks/target/benchmarks.jar io.llmmonitor.benchmarks.ScrapeSize}.
 * The figures depend on no clock but the recorded durations' digits, which change a few bytes.
 */
public final class ScrapeSize {

	private ScrapeSize() {
	}

	public static void main(String[] args) {
		print("with llm-monitor", ScrapeBenchmark.populated(true).scrape());
		print("default handler only", ScrapeBenchmark.populated(false).scrape());
	}

	private static void print(String title, String scrape) {
		Map<String, long[]> families = new LinkedHashMap<>();
		String family = "";
		for (String line : scrape.split("\n", -1)) {
			if (line.isEmpty()) {
				continue;
			}
			if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
				family = line.split(" ")[2];
			}
			long[] size = families.computeIfAbsent(family, (name) -> new long[2]);
			size[0] += line.getBytes(StandardCharsets.UTF_8).length + 1;
			size[1]++;
		}
		System.out.printf("%n%s: %,d bytes, %,d lines%n%n| family | bytes | lines |%n|---|---:|---:|%n", title,
				scrape.getBytes(StandardCharsets.UTF_8).length, scrape.lines().count());
		families.entrySet()
			.stream()
			.sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
			.forEach((entry) -> System.out.printf("| `%s` | %,d | %,d |%n", entry.getKey(), entry.getValue()[0],
					entry.getValue()[1]));
	}

}
