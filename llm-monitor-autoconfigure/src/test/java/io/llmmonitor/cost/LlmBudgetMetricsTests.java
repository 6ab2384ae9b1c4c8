package io.llmmonitor.cost;

import java.util.List;

import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The configured budgets become the gauge {@code llm_budget_usd{period, model}}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmBudgetMetricsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class));

	@Test
	void eachBudgetIsAGaugeByPeriodAndModel() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new LlmBudgetMetrics(List.of(new LlmBudget(LlmBudget.Period.DAY, LlmBudget.ALL_MODELS, 50),
				new LlmBudget(LlmBudget.Period.MONTH, "gpt-4o", 300)))
			.bindTo(registry);

		assertThat(registry.get("llm.budget").tag("period", "day").tag("model", "*").gauge().value()).isEqualTo(50);
		assertThat(registry.get("llm.budget").tag("period", "month").tag("model", "gpt-4o").gauge().value())
			.isEqualTo(300);
		assertThat(registry.get("llm.budget").gauges()).hasSize(2)
			.allSatisfy((gauge) -> assertThat(gauge.getId().getBaseUnit()).isEqualTo("usd"));
	}

	@Test
	void thePropertiesReachTheGauge() {
		this.runner
			.withPropertyValues("llm.monitor.budget.daily-usd=40", "llm.monitor.budget.models.gpt-4o-mini.monthly-usd=12.5")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("llm.budget").tag("period", "day").tag("model", "*").gauge().value())
					.isEqualTo(40);
				assertThat(registry.get("llm.budget").tag("period", "month").tag("model", "gpt-4o-mini").gauge().value())
					.isEqualTo(12.5);
				assertThat(registry.find("llm.budget").gauges()).hasSize(2);
			});
	}

	/**
	 * Spend is llm_cost_usd_total, which only priced models have: a budget without prices, or of a
	 * model without a price, can never be reached, and its alerts never fire. Said at startup.
	 */
	@Test
	void aBudgetThatNoPriceCanReachIsReported(CapturedOutput output) {
		this.runner
			.withPropertyValues("llm.monitor.budget.daily-usd=40")
			.run((context) -> assertThat(output).contains("llm.monitor.budget")
				.contains("no model has a price (llm.monitor.pricing)"));
		this.runner
			.withPropertyValues("llm.monitor.pricing.gpt-4o.input=2.5", "llm.monitor.pricing.gpt-4o.output=10",
					"llm.monitor.budget.models.gpt-4o-2024-08-06.daily-usd=3",
					"llm.monitor.budget.models.gpt-4o-mini.monthly-usd=12.5")
			.run((context) -> assertThat(output).contains("gpt-4o-mini has no price")
				.doesNotContain("gpt-4o-2024-08-06 has no price"));
	}

	@Test
	void aPricedBudgetIsNotReported(CapturedOutput output) {
		this.runner
			.withPropertyValues("llm.monitor.pricing.gpt-4o.input=2.5", "llm.monitor.pricing.gpt-4o.output=10",
					"llm.monitor.budget.daily-usd=40", "llm.monitor.budget.models.gpt-4o.daily-usd=3")
			.run((context) -> assertThat(output).doesNotContain("has no price").doesNotContain("no model has a price"));
	}

	@Test
	void withoutABudgetThereIsNoGauge() {
		this.runner.run((context) -> assertThat(context.getBean(MeterRegistry.class).find("llm.budget").gauges())
			.isEmpty());
	}

	@Test
	void aBudgetIsPositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LlmBudget(LlmBudget.Period.DAY, "*", 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new LlmBudget(LlmBudget.Period.DAY, "*", Double.POSITIVE_INFINITY));
	}

}
