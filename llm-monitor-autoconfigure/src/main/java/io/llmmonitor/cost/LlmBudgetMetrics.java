package io.llmmonitor.cost;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The configured budgets as the gauge {@code llm_budget_usd{period="day|month", model="*"|<model>}},
 * so that Prometheus rules can compare spend ({@code llm_cost_usd_total}) with them.
 */
public class LlmBudgetMetrics implements MeterBinder {

	/** Budget in US dollars by {@code period} and {@code model}, {@code llm_budget_usd}. */
	public static final String BUDGET = "llm.budget";

	private final List<LlmBudget> budgets;

	public LlmBudgetMetrics(List<LlmBudget> budgets) {
		this.budgets = List.copyOf(budgets);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (LlmBudget budget : this.budgets) {
			double usd = budget.usd();
			Gauge.builder(BUDGET, () -> usd)
				.baseUnit("usd")
				.description("LLM spend budget in US dollars by period (day: last 24 h, month: last 30 days) "
						+ "and model (* for all models), from llm.monitor.budget")
				.tag("period", budget.period().tagValue())
				.tag("model", budget.model())
				.register(registry);
		}
	}

}
