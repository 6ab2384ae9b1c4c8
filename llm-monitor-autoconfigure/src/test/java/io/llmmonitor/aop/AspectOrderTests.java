package io.llmmonitor.aop;

import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.autoconfigure.LlmMonitorAopAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of the monitoring aspect among other advice: by default closest to the method, so
 * that a cache hit is no LLM call and each retry attempt is one; {@code llm.monitor.aop.order}
 * moves it.
 */
class AspectOrderTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				AopAutoConfiguration.class, LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class,
				LlmMonitorAopAutoConfiguration.class))
		.withUserConfiguration(CachingAndRetryingBeans.class);

	@Test
	void theAspectIsOrderedByDefaultLast() {
		this.runner.run((context) -> assertThat(context.getBean(MonitoringAspect.class).getOrder())
			.isEqualTo(Ordered.LOWEST_PRECEDENCE));
	}

	@Test
	void aCacheHitIsNoLlmCall() {
		this.runner.run((context) -> {
			CachedModel model = context.getBean(CachedModel.class);
			assertThat(model.complete("hi")).isEqualTo("answer 1");
			assertThat(model.complete("hi")).isEqualTo("answer 1");
			assertThat(model.complete("hi")).isEqualTo("answer 1");

			assertThat(model.invocations()).isEqualTo(1);
			assertThat(calls(context, "cached", "success")).isEqualTo(1);
		});
	}

	@Test
	void eachRetryAttemptIsOneLlmCall() {
		this.runner.run((context) -> {
			FlakyModel model = context.getBean(FlakyModel.class);
			assertThat(model.complete("hi")).isEqualTo("answer after 3 attempts");

			assertThat(calls(context, "flaky", "error")).isEqualTo(2);
			assertThat(calls(context, "flaky", "success")).isEqualTo(1);
		});
	}

	@Test
	void theOrderPropertyMovesTheAspectOutsideTheCache() {
		this.runner.withPropertyValues("llm.monitor.aop.order=" + Ordered.HIGHEST_PRECEDENCE).run((context) -> {
			assertThat(context.getBean(MonitoringAspect.class).getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
			CachedModel model = context.getBean(CachedModel.class);
			model.complete("hi");
			model.complete("hi");

			assertThat(model.invocations()).isEqualTo(1);
			// now outside the cache: the hit is timed as a call too
			assertThat(calls(context, "cached", "success")).isEqualTo(2);
		});
	}

	private static long calls(AssertableApplicationContext context, String model, String status) {
		var timer = context.getBean(MeterRegistry.class)
			.find("llm.request.duration")
			.tag("model", model)
			.tag("status", status)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@EnableResilientMethods
	static class CachingAndRetryingBeans {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager("answers");
		}

		@Bean
		CachedModel cachedModel() {
			return new CachedModel();
		}

		@Bean
		FlakyModel flakyModel() {
			return new FlakyModel();
		}

	}

	static class CachedModel {

		private final AtomicInteger invocations = new AtomicInteger();

		public int invocations() {
			return this.invocations.get();
		}

		@Cacheable("answers")
		@MonitoredLlmCall(model = "cached", provider = "openai")
		public String complete(String prompt) {
			return "answer " + this.invocations.incrementAndGet();
		}

	}

	static class FlakyModel {

		private final AtomicInteger attempts = new AtomicInteger();

		@Retryable(maxRetries = 3, delay = 0)
		@MonitoredLlmCall(model = "flaky", provider = "openai")
		public String complete(String prompt) {
			int attempt = this.attempts.incrementAndGet();
			if (attempt < 3) {
				throw new IllegalStateException("overloaded");
			}
			return "answer after " + attempt + " attempts";
		}

	}

}
