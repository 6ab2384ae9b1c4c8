package io.llmmonitor.quality;

import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The refusal heuristic and the repetition score.
 */
class AnswerAnalyzerTests {

	private final RefusalDetector defaults = new RefusalDetector(RefusalDetector.DEFAULT_PATTERNS);

	@ParameterizedTest
	@ValueSource(strings = { "I can't help with that request.", "I’m sorry, but I cannot assist with this.",
			"Sorry, I won't provide instructions for that.", "I'm unable to help with this request.",
			"i am not able to comply.", "As an AI language model, I do not have opinions.",
			"I must decline to answer." })
	void theDefaultPatternsFindCommonRefusals(String answer) {
		assertThat(this.defaults.isRefusal(answer)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Paris is the capital of France.", "I can help with that: here are the steps.",
			"The AI Act regulates AI systems.", "Candidates cannot assist the examiner.", "" })
	void theDefaultPatternsLeaveAnswersAlone(String answer) {
		assertThat(this.defaults.isRefusal(answer)).isFalse();
	}

	@Test
	void onlyTheStartOfAnAnswerIsSearched() {
		String padding = "word ".repeat(RefusalDetector.SEARCHED_LENGTH / 5);
		assertThat(this.defaults.isRefusal(padding + "As an AI")).isFalse();
		assertThat(this.defaults.isRefusal(padding.substring(10) + "As an AI")).isTrue();
	}

	@Test
	void configuredPatternsReplaceTheDefaults() {
		RefusalDetector german = new RefusalDetector(List.of("dabei kann ich nicht helfen"));
		assertThat(german.isRefusal("Dabei kann ich nicht helfen.")).isTrue();
		assertThat(german.isRefusal("I can't help with that")).isFalse();
	}

	@Test
	void aPatternThatIsNoRegularExpressionIsRejectedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RefusalDetector(List.of("ok", "I can('t")))
			.withMessageStartingWith("'I can('t' is not a regular expression: Unclosed group");
	}

	@Test
	void repetitionIsTheShareOfRepeatedNgrams() {
		assertThat(RepetitionScore.of("the cat sat on the mat", 3)).isZero();
		// 9 words, 7 trigrams of which "a b c", "b c a", "c a b", "a b c" repeat 4 times
		assertThat(RepetitionScore.of("a b c a b c a b c", 3)).isCloseTo(4.0 / 7, within(1e-9));
		assertThat(RepetitionScore.of("again again again again again again again again again again again", 3))
			.isCloseTo(8.0 / 9, within(1e-9));
		assertThat(RepetitionScore.of("Hello, HELLO hello!", 1)).isCloseTo(2.0 / 3, within(1e-9));
	}

	@Test
	void anAnswerShorterThanAnNgramHasNoRepetition() {
		assertThat(RepetitionScore.of("two words", 3)).isZero();
		assertThat(RepetitionScore.of("", 1)).isZero();
		assertThat(RepetitionScore.of(" ,.! ", 2)).isZero();
	}

	@Test
	void aLoopingAnswerScoresNearOneAndAlwaysWithinZeroAndOne() {
		double looping = RepetitionScore.of("I will try. ".repeat(200), 3);
		assertThat(looping).isGreaterThan(0.99).isLessThanOrEqualTo(1);
	}

	@Test
	void anNgramHasOneWordOrMore() {
		assertThatIllegalArgumentException().isThrownBy(() -> RepetitionScore.of("text", 0))
			.withMessage("An n-gram has 1 word or more, not 0");
	}

	@Test
	void analysesAnAnswer() {
		try (AnswerAnalyzer analyzer = new AnswerAnalyzer(this.defaults, 1,
				new BoundedAnalysisExecutor(1, new SimpleMeterRegistry()))) {
			AnswerAnalyzer.Analysis analysis = analyzer.analyze("I can't help with help");
			assertThat(analysis.refusal()).isTrue();
			assertThat(analysis.repetitionRatio()).isCloseTo(1.0 / 6, within(1e-9)); // i, can, t, help, with, help
		}
	}

}
