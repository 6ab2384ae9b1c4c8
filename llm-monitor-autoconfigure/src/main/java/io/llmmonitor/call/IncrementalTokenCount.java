package io.llmmonitor.call;

import io.llmmonitor.usage.TokenCounter;

/**
 * Counts the tokens of generated text while it arrives, so that a long stream keeps a bounded
 * buffer and its end counts only what is left of the last batch, never the whole text (a stream
 * usually ends on an event-loop thread).
 * <p>
 * Text is counted in batches of about {@value #BATCH} characters, each cut before a single space
 * between two non-space characters. BPE tokenizers (jtokkit's encodings) split text into pieces
 * first and never join pieces: a space between two words always starts a new piece, so the sum
 * of the batches' counts equals the count of the whole text. Text without such a space (long runs
 * of CJK text, minified JSON) is cut at {@value #MAX_PENDING} characters, which may count a token
 * more or less at each cut.
 */
final class IncrementalTokenCount {

	/** Characters gathered before a batch is counted. */
	static final int BATCH = 4096;

	/** Characters gathered at most: past this, a batch is cut wherever it ends. */
	static final int MAX_PENDING = 4 * BATCH;

	private final StringBuilder pending = new StringBuilder(256);

	/** Where the last batch may end (exclusive), {@code 0} when nowhere yet. */
	private int lastCut;

	private long counted;

	/** Adds generated text; counts a batch when enough has gathered. */
	void append(CharSequence text, TokenCounter counter, String model) {
		int start = this.pending.length();
		this.pending.append(text);
		for (int i = Math.max(1, start - 1); i < this.pending.length() - 1; i++) {
			if (this.pending.charAt(i) == ' ' && !Character.isWhitespace(this.pending.charAt(i - 1))
					&& !Character.isWhitespace(this.pending.charAt(i + 1))) {
				this.lastCut = i;
			}
		}
		if (this.pending.length() >= BATCH && this.lastCut > 0) {
			countBatch(this.lastCut, counter, model);
		}
		else if (this.pending.length() >= MAX_PENDING) {
			countBatch(this.pending.length(), counter, model);
		}
	}

	private void countBatch(int end, TokenCounter counter, String model) {
		this.counted += counter.countTokens(model, this.pending.substring(0, end));
		this.pending.delete(0, end);
		this.lastCut = 0;
	}

	/** The tokens of all the text added. */
	long total(TokenCounter counter, String model) {
		if (this.pending.length() > 0) {
			countBatch(this.pending.length(), counter, model);
		}
		return this.counted;
	}

	/** Characters the buffer can hold now: what it retains, for tests. */
	int capacity() {
		return this.pending.capacity();
	}

}
