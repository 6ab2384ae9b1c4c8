package io.llmmonitor.quality;

import java.util.function.Consumer;

/**
 * Reads an answer for a refusal and its repetition, on a {@link BoundedAnalysisExecutor}, never
 * on the thread of the call.
 */
public final class AnswerAnalyzer implements AutoCloseable {

	private final RefusalDetector refusals;

	private final int ngramSize;

	private final BoundedAnalysisExecutor executor;

	/**
	 * @param refusals the refusal heuristic
	 * @param ngramSize words per n-gram of the repetition score
	 * @param executor where analyses run
	 */
	public AnswerAnalyzer(RefusalDetector refusals, int ngramSize, BoundedAnalysisExecutor executor) {
		this.refusals = refusals;
		this.ngramSize = ngramSize;
		this.executor = executor;
	}

	/** What the analysis of one answer found. */
	public record Analysis(boolean refusal, double repetitionRatio) {
	}

	/** Analyses the answer now, on this thread. */
	public Analysis analyze(CharSequence answer) {
		return new Analysis(this.refusals.isRefusal(answer), RepetitionScore.of(answer, this.ngramSize));
	}

	/**
	 * Analyses the answer on the executor and hands the result over there; drops it when the
	 * executor's queue is full.
	 */
	public void analyzeLater(String answer, Consumer<Analysis> result) {
		this.executor.submit(() -> result.accept(analyze(answer)));
	}

	@Override
	public void close() {
		this.executor.close();
	}

}
