package io.llmmonitor.cost;

import java.util.List;

import io.llmmonitor.docs.LlmMeterNames;
import io.llmmonitor.docs.LlmMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The configured budgets as the gauge {@code llm_budget_usd{period="day|month", model="*"|<model>}},
 * so that Prometheus rules can compare spend ({@code llm_cost_usd_total}) with them.
 */
public class LlmBudgetMetrics implements MeterBinder {

	/** Budget in US dollars by {@code period} and {@code model}, {@code llm_budget_usd}. */
	public static final String BUDGET = LlmMeterNames.BUDGET;

	private static final Log logger = LogFactory.getLog(LlmBudgetMetrics.class);

	private final List<LlmBudget> budgets;

	public LlmBudgetMetrics(List<LlmBudget> budgets) {
		this.budgets = List.copyOf(budgets);
	}

	/**
	 * Budgets compared with spend at these prices: a budget that no price can reach (no prices at
	 * all, or a model budget of a model without a price) is logged at WARN, since spend
	 * ({@code llm_cost_usd_total}) only counts priced calls and its alerts would never fire.
	 */
	public LlmBudgetMetrics(List<LlmBudget> budgets, LlmPriceTable prices) {
		this(budgets);
		warnUnreachable(prices);
	}

	private void warnUnreachable(LlmPriceTable prices) {
		if (this.budgets.isEmpty()) {
			return;
		}
		if (prices == LlmPriceTable.NONE) {
			logger.warn("llm.monitor.budget is set but no model has a price (llm.monitor.pricing): spend "
					+ "(llm_cost_usd_total) stays 0 and the budget alerts never fire");
			return;
		}
		this.budgets.stream()
			.map(LlmBudget::model)
			.filter((model) -> !LlmBudget.ALL_MODELS.equals(model))
			.distinct()
			.filter((model) -> prices.priceOf(model) == null)
			.forEach((model) -> logger.warn("llm.monitor.budget.models: model " + model + " has no price "
					+ "(llm.monitor.pricing): its spend stays 0 and its budget alerts never fire"));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (LlmBudget budget : this.budgets) {
			double usd = budget.usd();
			Gauge.builder(BUDGET, () -> usd)
				.baseUnit(LlmMeters.BUDGET.getBaseUnit())
				.description(LlmMeters.BUDGET.getDescription())
				.tag("period", budget.period().tagValue())
				.tag("model", budget.model())
				.register(registry);
		}
	}

}
