package io.llmmonitor.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of a markdown page, for the tests that hold a hand-written reference table against
 * its source ({@code docs/reference.md}).
 */
public final class MarkdownTables {

	/** A cell that is one code span: a name, a default. */
	public static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private static final Pattern SEPARATOR = Pattern.compile("^\\|[-:| ]+\\|$");

	private MarkdownTables() {
	}

	/**
	 * The cells of each row of the tables whose first header cell is {@code firstHeader}, in the
	 * {@code ## } section whose heading starts with {@code section}; header and separator rows left
	 * out.
	 */
	public static List<List<String>> rows(String markdown, String section, String firstHeader) {
		List<List<String>> rows = new ArrayList<>();
		boolean inSection = false;
		boolean inTable = false;
		boolean wanted = false;
		for (String line : markdown.split("\n")) {
			if (line.startsWith("## ")) {
				inSection = line.substring(3).startsWith(section);
			}
			boolean tableLine = inSection && line.startsWith("|");
			if (tableLine && !inTable) {
				wanted = cells(line).get(0).equals(firstHeader);
			}
			else if (tableLine && wanted && !SEPARATOR.matcher(line).matches()) {
				rows.add(cells(line));
			}
			inTable = tableLine;
		}
		return rows;
	}

	/** The names of the code spans of a cell: {@code `a`, `b`} gives a and b. */
	public static List<String> codeSpans(String cell) {
		List<String> names = new ArrayList<>();
		Matcher code = CODE.matcher(cell);
		while (code.find()) {
			names.add(code.group(1));
		}
		return names;
	}

	private static List<String> cells(String line) {
		List<String> cells = new ArrayList<>();
		for (String cell : line.strip().substring(1).split("(?<!\\\\)\\|", -1)) {
			cells.add(cell.strip());
		}
		if (cells.get(cells.size() - 1).isEmpty()) {
			cells.remove(cells.size() - 1);
		}
		return cells;
	}

}
