package io.llmmonitor.autoconfigure;

import java.util.Arrays;
import java.util.Objects;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.cost.LlmBudgetMetrics;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.metrics.GenAiSemconvMetricsObservationHandler;
import io.llmmonitor.metrics.LlmHistogramMeterFilter;
import io.llmmonitor.metrics.LlmMeterDescriptionFilter;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.metrics.LlmTokensPerCallBucketsMeterFilter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.ServiceLevelObjectiveBoundary;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * LLM metrics: TTFT, time per output token, token rate, tokens, active and slow calls, and
 * LLM-sized histogram buckets. Needs a {@link MeterRegistry}; without one, traces still work.
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBean({ LlmMonitor.class, MeterRegistry.class })
public final class LlmMonitorMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LlmMetricsObservationHandler llmMetricsObservationHandler(MeterRegistry meterRegistry) {
		return new LlmMetricsObservationHandler(meterRegistry);
	}

	/** The gauge llm_budget_usd of llm.monitor.budget (no meter without a budget). */
	@Bean
	@ConditionalOnMissingBean
	LlmBudgetMetrics llmBudgetMetrics(LlmMonitorProperties properties, LlmPriceTable prices) {
		return new LlmBudgetMetrics(properties.getBudget().toBudgets(), prices);
	}

	/**
	 * The OpenTelemetry GenAI client metrics, opt-in: their names and units suit OTLP backends,
	 * and Prometheus already has the llm_* metrics.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("llm.monitor.metrics.semconv.enabled")
	GenAiSemconvMetricsObservationHandler llmGenAiSemconvMetricsObservationHandler(MeterRegistry meterRegistry,
			LlmMonitorProperties properties) {
		return new GenAiSemconvMetricsObservationHandler(meterRegistry, properties.getMaxModels(),
				properties.getMaxErrorTypes());
	}

	/**
	 * Ordered before Spring Boot's {@code PropertiesMeterFilter} (order 0), which lays a user's
	 * {@code management.metrics.distribution.*} settings over the configuration it receives: the
	 * LLM buckets are the meters' defaults, and whatever the user sets for an LLM meter wins, as it
	 * does for any other meter.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	static LlmHistogramMeterFilter llmHistogramMeterFilter(LlmMonitorProperties properties) {
		return new LlmHistogramMeterFilter(properties.getHistogram().toBuckets());
	}

	@Bean
	@ConditionalOnMissingBean
	static LlmMeterDescriptionFilter llmMeterDescriptionFilter() {
		return new LlmMeterDescriptionFilter();
	}

	/**
	 * Without Spring Boot's metrics module nothing applies {@code management.metrics.distribution.slo}:
	 * the filter keeps the fixed boundaries of {@code llm.tokens.per.call} under any SLO filter.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnMissingClass("org.springframework.boot.micrometer.metrics.autoconfigure.MetricsProperties")
	@Order(Ordered.LOWEST_PRECEDENCE)
	static LlmTokensPerCallBucketsMeterFilter llmTokensPerCallBucketsMeterFilter() {
		return new LlmTokensPerCallBucketsMeterFilter(null);
	}

	/**
	 * The filter that keeps the boundaries of {@code llm.tokens.per.call}, reading Spring Boot's
	 * {@link MetricsProperties}.
	 * <p>
	 * After Spring Boot's {@code PropertiesMeterFilter} (order 0) and after the user's own
	 * {@code MeterFilter} beans (the lowest precedence, and registered after them): the fixed
	 * boundaries of {@code llm_tokens_per_call}, which the drift rules read, stay under a user's
	 * SLO setting of a prefix ({@code management.metrics.distribution.slo.llm}) or a filter's.
	 * When the user names the meter itself ({@code slo.llm.tokens.per.call}), that setting wins,
	 * with a warning when it leaves out boundaries the drift rules read.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MetricsProperties.class)
	static class TokensPerCallBucketsConfiguration {

		/** {@code MetricsProperties} through a provider: absent when Boot's metrics are, as is its SLO setting. */
		@Bean
		@ConditionalOnMissingBean
		@Order(Ordered.LOWEST_PRECEDENCE)
		static LlmTokensPerCallBucketsMeterFilter llmTokensPerCallBucketsMeterFilter(
				ObjectProvider<MetricsProperties> properties) {
			MetricsProperties metrics = properties.getIfAvailable();
			ServiceLevelObjectiveBoundary[] slo = (metrics != null)
					? metrics.getDistribution().getSlo().get(LlmMetricsObservationHandler.TOKENS_PER_CALL) : null;
			return new LlmTokensPerCallBucketsMeterFilter((slo != null) ? Arrays.stream(slo)
				.map((boundary) -> boundary.getValue(Meter.Type.DISTRIBUTION_SUMMARY))
				.filter(Objects::nonNull)
				.mapToDouble(Double::doubleValue)
				.toArray() : null);
		}

	}

}
