package io.llmmonitor.call;

import io.llmmonitor.usage.TokenCounter;
import org.jspecify.annotations.Nullable;

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

	/**
	 * The text added so far while it is one short {@code String} (a blocking call's answer, a
	 * stream's first chunk): counted as it is at the end, copied into {@link #pending} only when
	 * more text comes.
	 */
	private @Nullable String single;

	/** The text not counted yet, once there is more than {@link #single}. */
	private @Nullable StringBuilder pending;

	/** Where the last batch may end (exclusive), {@code 0} when nowhere yet. */
	private int lastCut;

	private long counted;

	/** Adds generated text; counts a batch when enough has gathered. */
	void append(CharSequence text, TokenCounter counter, String model) {
		StringBuilder buffer = this.pending;
		if (buffer == null) {
			if (this.single == null && text instanceof String string && string.length() < BATCH) {
				this.single = string;
				return;
			}
			buffer = new StringBuilder(256);
			this.pending = buffer;
			String first = this.single;
			if (first != null) {
				this.single = null;
				appendToBuffer(buffer, first, counter, model);
			}
		}
		appendToBuffer(buffer, text, counter, model);
	}

	/** Adds text to the buffer, noting where a batch may end, and counts a batch when one is due. */
	private void appendToBuffer(StringBuilder buffer, CharSequence text, TokenCounter counter, String model) {
		int start = buffer.length();
		buffer.append(text);
		for (int i = Math.max(1, start - 1); i < buffer.length() - 1; i++) {
			if (buffer.charAt(i) == ' ' && !Character.isWhitespace(buffer.charAt(i - 1))
					&& !Character.isWhitespace(buffer.charAt(i + 1))) {
				this.lastCut = i;
			}
		}
		if (buffer.length() >= BATCH && this.lastCut > 0) {
			countBatch(buffer, this.lastCut, counter, model);
		}
		else if (buffer.length() >= MAX_PENDING) {
			countBatch(buffer, buffer.length(), counter, model);
		}
	}

	private void countBatch(StringBuilder buffer, int end, TokenCounter counter, String model) {
		this.counted += counter.countTokens(model, buffer.substring(0, end));
		buffer.delete(0, end);
		this.lastCut = 0;
	}

	/** The tokens of all the text added. */
	long total(TokenCounter counter, String model) {
		String first = this.single;
		if (first != null) {
			this.single = null;
			this.counted += counter.countTokens(model, first);
		}
		StringBuilder buffer = this.pending;
		if (buffer != null && buffer.length() > 0) {
			countBatch(buffer, buffer.length(), counter, model);
		}
		return this.counted;
	}

	/** Characters the buffer can hold now: what it retains, for tests. */
	int capacity() {
		String first = this.single;
		StringBuilder buffer = this.pending;
		return ((first != null) ? first.length() : 0) + ((buffer != null) ? buffer.capacity() : 0);
	}

}
