package io.llmmonitor.quality;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How much an answer repeats itself: the share of its word n-grams that already occurred earlier
 * in it, from 0 (no n-gram twice) towards 1 (one phrase over and over). Words are runs of letters
 * and digits, compared in lower case. A degenerate, looping generation scores high.
 */
public final class RepetitionScore {

	private RepetitionScore() {
	}

	/**
	 * @param text the answer
	 * @param n words per n-gram, 1 or more
	 * @return the share of repeated n-grams in [0, 1]; 0 for an answer shorter than one n-gram
	 */
	public static double of(CharSequence text, int n) {
		if (n < 1) {
			throw new IllegalArgumentException("An n-gram has 1 word or more, not " + n);
		}
		List<String> words = words(text);
		int grams = words.size() - n + 1;
		if (grams <= 0) {
			return 0;
		}
		Set<List<String>> seen = new HashSet<>();
		int repeated = 0;
		for (int i = 0; i < grams; i++) {
			if (!seen.add(words.subList(i, i + n))) {
				repeated++;
			}
		}
		return (double) repeated / grams;
	}

	private static List<String> words(CharSequence text) {
		List<String> words = new ArrayList<>();
		int start = -1;
		for (int i = 0; i <= text.length(); i++) {
			boolean wordChar = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
			if (wordChar && start < 0) {
				start = i;
			}
			else if (!wordChar && start >= 0) {
				words.add(text.subSequence(start, i).toString().toLowerCase(Locale.ROOT));
				start = -1;
			}
		}
		return words;
	}

}
