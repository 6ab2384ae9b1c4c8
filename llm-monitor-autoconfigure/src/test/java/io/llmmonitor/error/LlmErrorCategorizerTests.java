package io.llmmonitor.error;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's classifiers come first, in order; one that returns {@code null} leaves the
 * decision to the next; one that throws is logged and skipped.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmErrorCategorizerTests {

	private static final IllegalStateException GATEWAY_QUOTA = new IllegalStateException("gateway: quota exhausted");

	@Test
	void theApplicationsClassifierDecidesFirst() {
		LlmErrorCategorizer categorizer = new LlmErrorCategorizer(
				List.of((error) -> error.getMessage().contains("quota") ? ErrorCategory.RATE_LIMITED : null));

		assertThat(categorizer.categorize(GATEWAY_QUOTA)).isEqualTo(ErrorCategory.RATE_LIMITED);
	}

	@Test
	void aClassifierReturningNullLeavesTheDecisionToTheNextAndThenToTheBuiltInRules() {
		LlmErrorCategorizer categorizer = new LlmErrorCategorizer(
				List.of((error) -> null, (error) -> (error instanceof IllegalStateException) ? ErrorCategory.AUTH : null));

		assertThat(categorizer.categorize(GATEWAY_QUOTA)).isEqualTo(ErrorCategory.AUTH);
		assertThat(categorizer.categorize(new java.net.ConnectException("refused"))).isEqualTo(ErrorCategory.NETWORK);
	}

	@Test
	void theFirstCategoryWins() {
		LlmErrorCategorizer categorizer = new LlmErrorCategorizer(
				List.of((error) -> ErrorCategory.CONTENT_FILTER, (error) -> ErrorCategory.AUTH));

		assertThat(categorizer.categorize(GATEWAY_QUOTA)).isEqualTo(ErrorCategory.CONTENT_FILTER);
	}

	@Test
	void aClassifierThatThrowsIsSkippedAndLoggedOnceAtWarn(CapturedOutput output) {
		LlmErrorCategorizer categorizer = new LlmErrorCategorizer(List.<LlmErrorClassifier>of(new FailingClassifier(),
				(error) -> ErrorCategory.BAD_REQUEST));

		assertThat(categorizer.categorize(GATEWAY_QUOTA)).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(categorizer.categorize(GATEWAY_QUOTA)).isEqualTo(ErrorCategory.BAD_REQUEST);

		assertThat(output.getAll()).containsOnlyOnce("LLM error classifier " + FailingClassifier.class.getName()
				+ " failed on java.lang.IllegalStateException and was skipped");
	}

	@Test
	void withoutClassifiersTheBuiltInRulesDecide() {
		assertThat(LlmErrorCategorizer.DEFAULT.categorize(GATEWAY_QUOTA)).isEqualTo(ErrorCategory.OTHER);
		assertThat(LlmErrorCategorizer.DEFAULT.categorize(new dev.langchain4j.exception.RateLimitException("429")))
			.isEqualTo(ErrorCategory.RATE_LIMITED);
	}

	static class FailingClassifier implements LlmErrorClassifier {

		@Override
		public ErrorCategory classify(Throwable error) {
			throw new IllegalArgumentException("classifier bug");
		}

	}

}
