package io.llmmonitor.cost;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Price lookup by model name and the cost of a call.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmPricingTests {

	private static final ModelPrice GPT_4O = new ModelPrice(2.50, 10.00);

	private static final ModelPrice GPT_4O_MINI = new ModelPrice(0.15, 0.60);

	private static final ModelPrice CLAUDE = new ModelPrice(3.00, 15.00);

	private final LlmPriceTable table = LlmPriceTable
		.of(Map.of("gpt-4o", GPT_4O, "GPT-4o-mini", GPT_4O_MINI, "claude-3-5-sonnet", CLAUDE, "gpt-4", GPT_4O));

	@Test
	void findsAModelByItsNameIgnoringCase() {
		assertThat(this.table.priceOf("gpt-4o")).isEqualTo(GPT_4O);
		assertThat(this.table.priceOf("GPT-4O")).isEqualTo(GPT_4O);
		assertThat(this.table.priceOf("gpt-4o-mini")).isEqualTo(GPT_4O_MINI);
	}

	@Test
	void aSnapshotTakesThePriceOfItsBaseName() {
		assertThat(this.table.priceOf("gpt-4o-2024-08-06")).isEqualTo(GPT_4O);
		assertThat(this.table.priceOf("gpt-4o-mini-2024-07-18")).isEqualTo(GPT_4O_MINI);
		assertThat(this.table.priceOf("claude-3-5-sonnet-20241022")).isEqualTo(CLAUDE);
		assertThat(this.table.priceOf("claude-3-5-sonnet@20240620")).isEqualTo(CLAUDE);
		assertThat(this.table.priceOf("gpt-4-0613")).isEqualTo(GPT_4O);
	}

	@Test
	void anotherModelSharingAPrefixDoesNotTakeItsPrice() {
		LlmPriceTable onlyGpt4o = LlmPriceTable.of(Map.of("gpt-4o", GPT_4O));
		assertThat(onlyGpt4o.priceOf("gpt-4o-mini")).isNull();
		assertThat(onlyGpt4o.priceOf("gpt-4o-mini-2024-07-18")).isNull();
		assertThat(onlyGpt4o.priceOf("gpt-4")).isNull();
		assertThat(onlyGpt4o.priceOf("gpt-4o-audio-preview")).isNull();
	}

	@Test
	void costIsTokensTimesThePricePerMillion() {
		CallCost cost = new LlmPricing(this.table).costOf(null, "gpt-4o", 1_000L, 500L);
		assertThat(cost).isNotNull();
		assertThat(cost.inputUsd()).isCloseTo(0.0025, within(1e-12));
		assertThat(cost.outputUsd()).isCloseTo(0.005, within(1e-12));
		assertThat(cost.totalUsd()).isCloseTo(0.0075, within(1e-12));
	}

	@Test
	void theModelThatAnsweredIsPricedBeforeTheModelRequested() {
		LlmPricing pricing = new LlmPricing(this.table);
		CallCost cost = pricing.costOf("gpt-4o-mini-2024-07-18", "gpt-4o", 1_000_000L, 1_000_000L);
		assertThat(cost).isEqualTo(new CallCost(0.15, 0.60));
		// an answering model without a price falls back to the requested one
		assertThat(pricing.costOf("some-router-alias", "gpt-4o", 1_000_000L, 0L)).isEqualTo(new CallCost(2.50, 0));
	}

	@Test
	void unreportedInputTokensCostNothingAndACallWithoutTokensHasNoCost() {
		LlmPricing pricing = new LlmPricing(this.table);
		assertThat(pricing.costOf(null, "gpt-4o", null, 1_000_000L)).isEqualTo(new CallCost(0, 10.00));
		assertThat(pricing.costOf(null, "gpt-4o", null, null)).isNull();
	}

	@Test
	void aModelWithoutAPriceHasNoCostAndIsWarnedAboutOnce(CapturedOutput output) {
		LlmPricing pricing = new LlmPricing(this.table);
		assertThat(pricing.costOf(null, "mistral-large", 10L, 10L)).isNull();
		assertThat(pricing.costOf("mistral-large", "", 10L, 10L)).isNull();
		assertThat(output.getAll().split("No price for LLM model 'mistral-large'", -1)).hasSize(2);
	}

	@Test
	void withoutPricesNothingIsPricedOrLogged(CapturedOutput output) {
		assertThat(new LlmPricing(LlmPriceTable.NONE).costOf(null, "gpt-4o", 10L, 10L)).isNull();
		assertThat(LlmPriceTable.of(Map.of())).isSameAs(LlmPriceTable.NONE);
		assertThat(output.getAll()).doesNotContain("No price");
	}

	@Test
	void aPriceIsAFiniteNumberZeroOrMore() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ModelPrice(-1, 0)).withMessageContaining("input");
		assertThatIllegalArgumentException().isThrownBy(() -> new ModelPrice(0, Double.NaN))
			.withMessageContaining("output");
		assertThat(new ModelPrice(0, 0).outputCost(1_000)).isZero();
	}

	@Test
	void cachedInputTokensCostTheCachedInputPriceWhenTheModelHasOne() {
		LlmPricing pricing = new LlmPricing(LlmPriceTable.of(Map.of("o4-mini", new ModelPrice(1.10, 4.40, 0.275),
				"gpt-4o", GPT_4O)));

		// 1M input tokens of which 400k cached; reasoning tokens are inside the output count
		CallCost cost = pricing.costOf(null, "o4-mini", 1_000_000L, 1_000_000L, 400_000L);
		assertThat(cost.inputUsd()).isCloseTo(0.66, within(1e-12));
		assertThat(cost.cachedInputUsd()).isCloseTo(0.11, within(1e-12));
		assertThat(cost.outputUsd()).isCloseTo(4.40, within(1e-12));
		assertThat(cost.totalUsd()).isCloseTo(5.17, within(1e-12));
		// without a cached-input price, all input costs the input price
		assertThat(pricing.costOf(null, "gpt-4o", 1_000_000L, 0L, 400_000L)).isEqualTo(new CallCost(2.50, 0));
	}

	@Test
	void anthropicCacheTokensReportedApartFromTheInputAreBilledOnTopOfItWithOneWarning(CapturedOutput output) {
		// claude-sonnet-4: $3 input, $0.30 cache reads, $15 output per million tokens
		LlmPricing pricing = new LlmPricing(
				LlmPriceTable.of(Map.of("claude-sonnet-4", new ModelPrice(3.00, 15.00, 0.30), "gpt-4o", GPT_4O)));

		// input_tokens 10 (after the last cache breakpoint), cache_read 100k, cache_creation 20k
		CallCost cost = pricing.costOf(null, "claude-sonnet-4", 10L, 0L, 100_000L, 20_000L);

		assertThat(cost.inputUsd()).isCloseTo((10 + 20_000) * 3.00 / 1e6, within(1e-12));
		assertThat(cost.cachedInputUsd()).isCloseTo(100_000 * 0.30 / 1e6, within(1e-12));
		assertThat(cost.inputUsd()).isPositive();
		pricing.costOf(null, "claude-sonnet-4", 10L, 0L, 100_000L, 20_000L);
		assertThat(output.getOut().split("cache-creation input tokens, more than its", -1)).hasSize(2);
		// without a cached-input price, every input token costs the input price
		assertThat(pricing.costOf(null, "gpt-4o", 1_000L, 0L, 5_000L, null).inputUsd())
			.isCloseTo(6_000 * 2.50 / 1e6, within(1e-12));
		// a consistent usage: the cache-creation tokens are part of the input, at the input price
		CallCost consistent = pricing.costOf(null, "claude-sonnet-4", 130_000L, 0L, 100_000L, 20_000L);
		assertThat(consistent.inputUsd()).isCloseTo(30_000 * 3.00 / 1e6, within(1e-12));
		assertThat(consistent.cachedInputUsd()).isCloseTo(100_000 * 0.30 / 1e6, within(1e-12));
		// negative counts from a broken extractor bill nothing negative
		CallCost negative = pricing.costOf(null, "claude-sonnet-4", -5L, -1L, -7L, -3L);
		assertThat(negative.totalUsd()).isZero();
	}

}
