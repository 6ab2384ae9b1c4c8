package io.llmmonitor.error;

import java.util.function.Supplier;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.metrics.LlmMetricsObservationHandler;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.TestMonitors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A failed call counts once in {@code llm_errors_total} by model, provider, operation, error type
 * and category, and its span carries {@code llm.error.category}; the duration histogram keeps its
 * tags.
 */
class ErrorCategoryMetricsTests {

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	private final LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");

	@Test
	void aRateLimitedCallCountsInLlmErrorsByCategory() {
		fail(() -> {
			throw HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", null, null, null);
		});

		Counter errors = this.monitors.meterRegistry.get(LlmMetricsObservationHandler.ERRORS)
			.tag("model", "gpt-4o")
			.tag("provider", "openai")
			.tag("operation", "chat")
			.tag("error_type", "TooManyRequests")
			.tag("category", "rate_limited")
			.counter();
		assertThat(errors.count()).isEqualTo(1);
		assertThat(this.monitors.meterRegistry.get("llm.request.duration").timer().getId().getTag("category"))
			.isNull();
	}

	@Test
	void theSpanCarriesTheCategory() {
		fail(() -> {
			throw new dev.langchain4j.exception.AuthenticationException("invalid api key");
		});

		TestObservationRegistryAssert.assertThat(this.monitors.observationRegistry)
			.hasSingleObservationThat()
			.hasHighCardinalityKeyValue("llm.error.category", "auth")
			.doesNotHaveLowCardinalityKeyValueWithKey("llm.error.category");
		LlmCallContext context = this.monitors.onlyCall();
		assertThat(context.getErrorCategory()).isEqualTo("auth");
	}

	@Test
	void aFailedStreamIsCategorizedToo() {
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);
		Flux<String> stream = reactive.stream(this.spec.withStream(true),
				Flux.concat(Flux.just("Hel"), Flux.error(new java.net.ConnectException("Connection reset"))));

		assertThatException().isThrownBy(stream::blockLast);

		assertThat(this.monitors.meterRegistry.get(LlmMetricsObservationHandler.ERRORS)
			.tag("category", "network")
			.tag("error_type", "ConnectException")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void successfulAndCancelledCallsCountNoError() {
		this.monitors.monitor.call(this.spec, () -> "hi");
		ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);
		reactive.stream(this.spec.withStream(true), Flux.just("a", "b", "c")).take(1).blockLast();

		assertThat(this.monitors.meterRegistry.find(LlmMetricsObservationHandler.ERRORS).counters()).isEmpty();
		assertThat(this.monitors.stoppedCalls).hasSize(2)
			.allSatisfy((context) -> assertThat(context.getErrorCategory()).isNull());
	}

	private void fail(Supplier<String> call) {
		assertThatException().isThrownBy(() -> this.monitors.monitor.call(this.spec, call));
	}

}
