package io.llmmonitor.call;

import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.TestMonitors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.client.ResourceAccessException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A call's status follows what the monitored value itself signals, timeouts included: a timeout
 * raised inside the call (a client's read timeout, a {@code timeout()} inside the monitored
 * publisher, {@code orTimeout} on the returned future) is {@code status="error"} named after the
 * timeout even when wrapped; a {@code timeout()} the caller applies downstream cancels the call.
 */
class TimeoutClassificationTests {

	private static final Duration TIMEOUT = Duration.ofMillis(50);

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	private final ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);

	private final LlmCallSpec spec = LlmCallSpec.chat("gpt-4o", "openai");

	@Test
	void aTimeoutInsideTheMonitoredStreamIsATimeoutError() {
		Flux<String> call = this.reactive.stream(this.spec, hangingStream().timeout(TIMEOUT));

		assertThatException().isThrownBy(call::blockLast).withRootCauseInstanceOf(TimeoutException.class);

		assertTimedOut("TimeoutException");
	}

	@Test
	void aTimeoutInsideTheMonitoredMonoIsATimeoutError() {
		Mono<String> call = this.reactive.call(this.spec, Mono.<String>never().timeout(TIMEOUT));

		assertThatException().isThrownBy(call::block).withRootCauseInstanceOf(TimeoutException.class);

		assertTimedOut("TimeoutException");
	}

	@Test
	void aTimeoutTheCallerAppliesDownstreamCancelsTheCall() {
		Flux<String> call = this.reactive.stream(this.spec, hangingStream()).timeout(TIMEOUT);

		assertThatException().isThrownBy(call::blockLast).withRootCauseInstanceOf(TimeoutException.class);

		LlmCallContext context = this.monitors.onlyCall();
		assertThat(context.getStatus()).isEqualTo(CallStatus.CANCELLED);
		assertThat(context.getError()).isNull();
		assertThat(this.monitors.meterRegistry.get("llm.request.duration").timer().getId().getTag("error_type"))
			.isEqualTo("none");
	}

	@Test
	void orTimeoutOnTheReturnedFutureIsATimeoutError() {
		CompletableFuture<String> call = this.monitors.monitor.callAsync(this.spec, CompletableFuture::new);
		call.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

		assertThatException().isThrownBy(call::join).withCauseInstanceOf(TimeoutException.class);

		await().atMost(Duration.ofSeconds(5)).until(() -> !this.monitors.stoppedCalls.isEmpty());
		assertTimedOut("TimeoutException");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("clientTimeouts")
	void aClientTimeoutIsNamedAfterTheTimeoutEvenWhenWrapped(String errorType, RuntimeException failure) {
		Supplier<String> call = () -> {
			throw failure;
		};

		assertThatException().isThrownBy(() -> this.monitors.monitor.call(this.spec, call)).isSameAs(failure);

		assertTimedOut(errorType);
	}

	@Test
	void anErrorThatIsNoTimeoutKeepsItsOwnName() {
		RuntimeException failure = new ResourceAccessException("Connection refused",
				new java.net.ConnectException("Connection refused"));

		assertThatException().isThrownBy(() -> this.monitors.monitor.call(this.spec, () -> {
			throw failure;
		})).isSameAs(failure);

		assertThat(this.monitors.meterRegistry.get("llm.request.duration").timer().getId().getTag("error_type"))
			.isEqualTo("ResourceAccessException");
	}

	static Iterable<Arguments> clientTimeouts() {
		return java.util.List.of(
				// RestClient (Spring AI's OpenAI client) and RestTemplate
				Arguments.of("SocketTimeoutException",
						new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out"))),
				// the JDK's HttpClient, rethrown unchecked
				Arguments.of("HttpTimeoutException",
						new UncheckedIOException(new HttpTimeoutException("request timed out"))),
				// WebClient on Reactor Netty: WebClientRequestException caused by Netty's ReadTimeoutException
				Arguments.of("ReadTimeoutException", new IllegalStateException("request failed", new ReadTimeoutException())),
				Arguments.of("ReadTimeoutException", new ReadTimeoutException()));
	}

	private void assertTimedOut(String errorType) {
		LlmCallContext context = this.monitors.onlyCall();
		assertThat(context.getStatus()).isEqualTo(CallStatus.ERROR);
		var timer = this.monitors.meterRegistry.get("llm.request.duration").timer();
		assertThat(timer.getId().getTag("status")).isEqualTo("error");
		assertThat(timer.getId().getTag("error_type")).isEqualTo(errorType);
	}

	private static Flux<String> hangingStream() {
		return Flux.just("Hello").concatWith(Flux.never());
	}

	/** Stands for Netty's {@code io.netty.handler.timeout.ReadTimeoutException}. */
	static final class ReadTimeoutException extends NettyTimeoutException {

	}

	/** Stands for Netty's {@code io.netty.handler.timeout.TimeoutException}. */
	static class NettyTimeoutException extends RuntimeException {

	}

}
