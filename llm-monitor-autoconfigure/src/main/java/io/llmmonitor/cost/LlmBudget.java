package io.llmmonitor.cost;

import java.util.Locale;

/**
 * A spend budget: USD that an application (or one model of it) may spend in a period.
 *
 * @param period the rolling period: a day (24 hours) or a month (30 days)
 * @param model a model name, or {@link #ALL_MODELS}
 * @param usd the budget, in US dollars, greater than 0
 */
public record LlmBudget(Period period, String model, double usd) {

	/** The {@code model} of a budget of all models together. */
	public static final String ALL_MODELS = "*";

	public LlmBudget {
		if (!(Double.isFinite(usd) && usd > 0)) {
			throw new IllegalArgumentException("A budget must be USD greater than 0, not " + usd);
		}
	}

	/** The period of a budget, as the {@code period} tag. */
	public enum Period {

		/** The last 24 hours. */
		DAY,

		/** The last 30 days. */
		MONTH;

		public String tagValue() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
