package io.llmmonitor.health;

import java.time.Duration;
import java.util.Map;

import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorHealthAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorProperties;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MockClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The {@code llm} health contributor, fed by the calls themselves.
 */
class LlmHealthIndicatorTests {

	private static final LlmCallSpec GPT_4O = LlmCallSpec.chat("gpt-4o", "openai");

	private static final LlmCallSpec LLAMA = LlmCallSpec.chat("llama-3.1-8b", "vllm");

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
				LlmMonitorHealthAutoConfiguration.class))
		.withPropertyValues("llm.monitor.health.failure-threshold=3");

	@Test
	void upBeforeAnyCall() {
		this.runner.run((context) -> assertThat(context.getBean(LlmHealthIndicator.class).health().getStatus())
			.isEqualTo(Status.UP));
	}

	@Test
	void downOnlyWhenEveryModelFailedItsLastCalls() {
		this.runner.run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			LlmHealthIndicator indicator = context.getBean(LlmHealthIndicator.class);
			monitor.call(LLAMA, () -> "fine");
			for (int i = 0; i < 3; i++) {
				fail(monitor, GPT_4O);
			}
			Health oneFailing = indicator.health();
			assertThat(oneFailing.getStatus()).isEqualTo(Status.UP);
			assertThat(models(oneFailing)).containsOnlyKeys("openai/gpt-4o", "vllm/llama-3.1-8b");
			assertThat(models(oneFailing).get("openai/gpt-4o")).containsEntry("failing", true)
				.containsEntry("consecutiveFailures", 3)
				.containsEntry("lastErrorType", "IllegalStateException");
			assertThat(models(oneFailing).get("vllm/llama-3.1-8b")).containsEntry("failing", false)
				.containsKey("lastSuccess");

			fail(monitor, LLAMA);
			fail(monitor, LLAMA);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			fail(monitor, LLAMA);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);

			monitor.call(GPT_4O, () -> "back");
			Health recovered = indicator.health();
			assertThat(recovered.getStatus()).isEqualTo(Status.UP);
			assertThat(models(recovered).get("openai/gpt-4o")).containsEntry("failing", false)
				.containsEntry("consecutiveFailures", 0);
		});
	}

	@Test
	void anOldSuccessOfAnotherModelDoesNotKeepTheHealthUp() {
		MockClock clock = new MockClock();
		this.runner.withBean(Clock.class, () -> clock).withPropertyValues("llm.monitor.health.window=10m").run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			LlmHealthIndicator indicator = context.getBean(LlmHealthIndicator.class);
			monitor.call(LLAMA, () -> "fine, an hour ago");
			clock.add(Duration.ofHours(1));
			for (int i = 0; i < 3; i++) {
				fail(monitor, GPT_4O);
			}

			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("window", "PT10M");
			assertThat(models(health).get("vllm/llama-3.1-8b")).containsEntry("recent", false)
				.containsEntry("failing", false);
			assertThat(models(health).get("openai/gpt-4o")).containsEntry("recent", true)
				.containsEntry("failing", true);

			// a success of the other model within the window counts again
			monitor.call(LLAMA, () -> "fine now");
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void failuresAgeOutToo() {
		MockClock clock = new MockClock();
		this.runner.withBean(Clock.class, () -> clock).run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			LlmHealthIndicator indicator = context.getBean(LlmHealthIndicator.class);
			for (int i = 0; i < 3; i++) {
				fail(monitor, GPT_4O);
			}
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
			// the default window is 5 minutes: no call since, nothing to judge by
			clock.add(Duration.ofMinutes(5).minusMillis(1));
			assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
			clock.add(Duration.ofMillis(2));
			Health quiet = indicator.health();
			assertThat(quiet.getStatus()).isEqualTo(Status.UP);
			assertThat(models(quiet).get("openai/gpt-4o")).containsEntry("recent", false)
				.containsEntry("consecutiveFailures", 3);
			assertThat(context.getBean(LlmMonitorProperties.class).getHealth().getWindow())
				.isEqualTo(LlmHealthIndicator.DEFAULT_WINDOW);
		});
	}

	@Test
	void cancelledCallsCountNeitherWay() {
		this.runner.withPropertyValues("llm.monitor.health.failure-threshold=1").run((context) -> {
			ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(context.getBean(LlmMonitor.class));
			reactive.stream(GPT_4O.withStream(true), Flux.just("a", "b", "c")).take(1).blockLast();
			assertThat(models(context.getBean(LlmHealthIndicator.class).health())).isEmpty();
		});
	}

	@Test
	void offWithTheManagementProperty() {
		this.runner.withPropertyValues("management.health.llm.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.doesNotHaveBean(LlmHealthIndicator.class));
	}

	@Test
	void theBeanNameMakesTheContributorNameLlm() {
		this.runner.run((context) -> assertThat(context.getBeanNamesForType(LlmHealthIndicator.class))
			.containsExactly("llmHealthIndicator"));
	}

	@Test
	void aWindowOfZeroIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LlmHealthIndicator(5, Duration.ZERO, Clock.SYSTEM));
		this.runner.withPropertyValues("llm.monitor.health.window=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("health.window"));
	}

	@Test
	void aThresholdBelowOneIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LlmHealthIndicator(0, Clock.SYSTEM));
		this.runner.withPropertyValues("llm.monitor.health.failure-threshold=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("health.failureThreshold"));
	}

	private static void fail(LlmMonitor monitor, LlmCallSpec spec) {
		assertThatIllegalStateException().isThrownBy(() -> monitor.call(spec, () -> {
			throw new IllegalStateException("provider down");
		}));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Map<String, Object>> models(Health health) {
		return (Map<String, Map<String, Object>>) health.getDetails().get("models");
	}

}
