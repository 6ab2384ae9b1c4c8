package io.llmmonitor.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A heuristic for answers in which the model declines: regular expressions, matched case
 * insensitively within the start of the answer, where refusals are written ("I can't help with
 * that", "As an AI, I ..."). A heuristic: tune the patterns to the models and languages in use.
 */
public final class RefusalDetector {

	/** The patterns used when none are configured. */
	public static final List<String> DEFAULT_PATTERNS = List.of(
			"\\bI (?:can(?:'|’)?t|cannot|can not|won(?:'|’)?t|will not) (?:help|assist|comply|provide|do that)",
			"\\bI(?: am|'m|’m) (?:not able|unable) to (?:help|assist|comply|provide)", "\\bAs an AI\\b",
			"\\bI must (?:decline|refuse)\\b");

	/** Characters of the start of an answer that are searched: refusals open the answer. */
	public static final int SEARCHED_LENGTH = 500;

	private final List<Pattern> patterns;

	/**
	 * @param patterns regular expressions of refusals
	 * @throws IllegalArgumentException naming a pattern that is no regular expression
	 */
	public RefusalDetector(List<String> patterns) {
		List<Pattern> compiled = new ArrayList<>(patterns.size());
		for (String pattern : patterns) {
			compiled.add(compile(pattern));
		}
		this.patterns = List.copyOf(compiled);
	}

	/**
	 * @throws IllegalArgumentException naming the pattern when it is no regular expression
	 */
	public static Pattern compile(String pattern) {
		try {
			return Pattern.compile(pattern, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("'" + pattern + "' is not a regular expression: " + ex.getDescription(),
					ex);
		}
	}

	/** Whether the start of the answer matches a refusal pattern. */
	public boolean isRefusal(CharSequence answer) {
		CharSequence start = (answer.length() > SEARCHED_LENGTH) ? answer.subSequence(0, SEARCHED_LENGTH) : answer;
		for (Pattern pattern : this.patterns) {
			if (pattern.matcher(start).find()) {
				return true;
			}
		}
		return false;
	}

}
