package io.llmmonitor.feedback;

import org.jspecify.annotations.Nullable;

/**
 * A user's rating of an answer: a score in [0, 1] (thumbs up is 1, thumbs down 0), and an
 * optional comment. The comment's text reaches a span only when content capture is on, redacted;
 * otherwise only its length is recorded.
 *
 * @param score from 0 (bad) to 1 (good)
 * @param comment what the user wrote, or {@code null}
 */
public record Feedback(double score, @Nullable String comment) {

	/**
	 * @throws IllegalArgumentException when the score is not a number in [0, 1]
	 */
	public Feedback {
		if (!(score >= 0 && score <= 1)) {
			throw new IllegalArgumentException("A feedback score is a number from 0 to 1, not " + score);
		}
	}

	/** A thumbs up: score 1. */
	public static Feedback thumbsUp() {
		return new Feedback(1, null);
	}

	/** A thumbs down: score 0. */
	public static Feedback thumbsDown() {
		return new Feedback(0, null);
	}

	/**
	 * A score from 0 (bad) to 1 (good).
	 * @throws IllegalArgumentException when the score is not a number in [0, 1]
	 */
	public static Feedback score(double score) {
		return new Feedback(score, null);
	}

	/** This feedback with the user's comment. */
	public Feedback withComment(@Nullable String comment) {
		return new Feedback(this.score, comment);
	}

}
