package io.llmmonitor.autoconfigure;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of {@code README.md}, {@code CONTRIBUTING.md} and {@code docs/*.md} reaches a
 * file of the repository, and a heading of it where the link names one (GitHub's anchors), so that
 * moving a section between pages cannot leave a dead link behind.
 */
class DocumentationLinksTests {

	private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	/** {@code [text](target)} or {@code ![alt](target "title")}. */
	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

	@Test
	void everyRelativeLinkOfTheDocumentationResolves() throws IOException {
		List<Path> pages = documentationPages(REPOSITORY);
		assertThat(pages).contains(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("CONTRIBUTING.md"),
				REPOSITORY.resolve("docs/reference.md"));
		List<String> broken = new ArrayList<>();
		for (Path page : pages) {
			broken.addAll(brokenLinks(page));
		}
		assertThat(broken).isEmpty();
	}

	@Test
	void aLinkToAMissingFileOrHeadingIsReported(@TempDir Path repository) throws IOException {
		Files.createDirectories(repository.resolve("docs"));
		Files.writeString(repository.resolve("docs/reference.md"), """
				# Reference
				## Health: `llm`
				## Metrics
				## Metrics
				```
				## Not a heading
				[in code](missing.md)
				```
				""");
		Files.writeString(repository.resolve("README.md"), """
				[ok](docs/reference.md#health-llm), [ok](docs/reference.md#metrics-1), [ok](#readme), [web](https://example.com/x.md)
				[gone](docs/operations.md), [no heading](docs/reference.md#properties), `[code](nowhere.md)`
				[not a heading](docs/reference.md#not-a-heading) [no third](docs/reference.md#metrics-2) [here](#nothing)
				# README
				""");
		assertThat(documentationPages(repository)).containsExactly(repository.resolve("README.md"),
				repository.resolve("docs/reference.md"));
		assertThat(brokenLinks(repository.resolve("README.md"))).containsExactly(
				"README.md: docs/operations.md (no such file)", "README.md: docs/reference.md#properties (no such heading)",
				"README.md: docs/reference.md#not-a-heading (no such heading)",
				"README.md: docs/reference.md#metrics-2 (no such heading)", "README.md: #nothing (no such heading)");
		assertThat(brokenLinks(repository.resolve("docs/reference.md"))).isEmpty();
	}

	/** {@code README.md}, {@code CONTRIBUTING.md} and the pages of {@code docs/}, those that exist. */
	private static List<Path> documentationPages(Path repository) throws IOException {
		List<Path> pages = new ArrayList<>();
		for (String name : List.of("README.md", "CONTRIBUTING.md")) {
			if (Files.isRegularFile(repository.resolve(name))) {
				pages.add(repository.resolve(name));
			}
		}
		try (Stream<Path> docs = Files.list(repository.resolve("docs"))) {
			docs.filter((path) -> path.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/** The links of a page that reach no file, or no heading of their page, as {@code page: target (why)}. */
	static List<String> brokenLinks(Path page) throws IOException {
		List<String> broken = new ArrayList<>();
		boolean inDocs = page.getParent().getFileName().toString().equals("docs");
		String name = (inDocs ? "docs/" : "") + page.getFileName();
		Map<Path, Set<String>> anchors = new HashMap<>();
		for (String line : prose(Files.readString(page))) {
			Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
			while (link.find()) {
				String target = link.group(1);
				if (SCHEME.matcher(target).find()) {
					continue;
				}
				int hash = target.indexOf('#');
				String file = URLDecoder.decode((hash < 0) ? target : target.substring(0, hash), StandardCharsets.UTF_8);
				Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
				if (!Files.exists(resolved)) {
					broken.add(name + ": " + target + " (no such file)");
				}
				else if (hash >= 0 && !anchors.computeIfAbsent(resolved, DocumentationLinksTests::anchors)
					.contains(target.substring(hash + 1))) {
					broken.add(name + ": " + target + " (no such heading)");
				}
			}
		}
		return broken;
	}

	/** GitHub's anchors of a markdown file's headings: {@code ## Health: `llm`} is {@code health-llm}. */
	private static Set<String> anchors(Path file) {
		Set<String> anchors = new LinkedHashSet<>();
		if (!file.getFileName().toString().endsWith(".md")) {
			return anchors;
		}
		try {
			Map<String, Integer> seen = new HashMap<>();
			for (String line : prose(Files.readString(file))) {
				Matcher heading = HEADING.matcher(line);
				if (heading.matches()) {
					String slug = heading.group(1)
						.toLowerCase(Locale.ROOT)
						.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
						.replace(' ', '-');
					int count = seen.merge(slug, 1, Integer::sum);
					anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
				}
			}
			return anchors;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + file, ex);
		}
	}

	/** The lines of a markdown text outside fenced code blocks. */
	private static List<String> prose(String markdown) {
		List<String> lines = new ArrayList<>();
		boolean fenced = false;
		for (String line : markdown.split("\n")) {
			if (line.stripLeading().startsWith("```")) {
				fenced = !fenced;
			}
			else if (!fenced) {
				lines.add(line);
			}
		}
		return lines;
	}

}
