package io.llmmonitor.reactive;

import java.util.List;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.support.TestMonitors;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fusable source ({@code Mono.fromCallable}, {@code Flux.just}) followed by a fusable operator
 * ({@code map}) is monitored without breaking the chain: fusion stops at the monitored call, which
 * is one operator over its source; a source that throws on subscribe ends its call as failed.
 */
class FusableSourceTests {

	private final TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS);

	private final ReactiveLlmMonitor reactive = new ReactiveLlmMonitor(this.monitors.monitor);

	@Test
	void aFusableMonoThenMap() {
		Integer length = this.reactive
			.call(LlmCallSpec.chat("gpt-4o", "openai"),
					Mono.fromCallable(() -> "hello").subscribeOn(Schedulers.boundedElastic()))
			.map(String::length)
			.block();

		assertThat(length).isEqualTo(5);
		assertThat(this.monitors.onlyCall().getStatus()).isEqualTo(CallStatus.SUCCESS);
	}

	@Test
	void aFusableFluxThenAnOperatorThatAsksForFusion() {
		List<String> elements = this.reactive
			.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), Flux.just("a", "bb", "ccc"))
			.publishOn(Schedulers.parallel())
			.collectList()
			.block();

		assertThat(elements).containsExactly("a", "bb", "ccc");
		assertThat(this.monitors.onlyCall().getStatus()).isEqualTo(CallStatus.SUCCESS);
	}

	@Test
	void aMonitoredValueIsOneOperatorOverItsSourceFusableOrNot() {
		Mono<String> mono = Mono.just("hello");
		Flux<String> flux = Flux.just("a", "bb");

		Mono<String> observedMono = this.reactive.call(LlmCallSpec.chat("gpt-4o", "openai"), mono);
		Flux<String> observedFlux = this.reactive.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), flux);

		assertThat(observedMono).isNotInstanceOf(Fuseable.class);
		assertThat(Scannable.from(observedMono).scan(Scannable.Attr.PARENT)).isSameAs(mono);
		assertThat(observedFlux).isNotInstanceOf(Fuseable.class);
		assertThat(Scannable.from(observedFlux).scan(Scannable.Attr.PARENT)).isSameAs(flux);
		assertThat(Scannable.from(observedFlux).scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
	}

	@Test
	void aFluxWhoseSourceThrowsOnSubscribeEndsItsCallAsFailed() {
		Flux<String> throwing = Flux.from((subscriber) -> {
			throw new IllegalStateException("no connection");
		});

		List<String> elements = this.reactive.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), throwing)
			.onErrorResume((ex) -> Flux.just(ex.getMessage()))
			.collectList()
			.block();

		assertThat(elements).containsExactly("no connection");
		assertThat(this.monitors.onlyCall().getStatus()).isEqualTo(CallStatus.ERROR);
	}

	@Test
	void aMonoWhoseSourceThrowsOnSubscribeEndsItsCallAsFailed() {
		Mono<String> throwing = new Mono<>() {
			@Override
			public void subscribe(CoreSubscriber<? super String> actual) {
				throw new IllegalStateException("no connection");
			}
		};

		String answer = this.reactive.call(LlmCallSpec.chat("gpt-4o", "openai"), throwing)
			.onErrorResume((ex) -> Mono.just(ex.getMessage()))
			.block();

		assertThat(answer).isEqualTo("no connection");
		assertThat(this.monitors.onlyCall().getStatus()).isEqualTo(CallStatus.ERROR);
	}

	@Test
	void aFusableFluxThenMap() {
		List<Integer> lengths = this.reactive
			.stream(new LlmCallSpec("gpt-4o", "openai", "chat", true), Flux.just("a", "bb", "ccc"))
			.map(String::length)
			.collectList()
			.block();

		assertThat(lengths).containsExactly(1, 2, 3);
		assertThat(this.monitors.onlyCall().getOutputTokens()).isPositive();
	}

}
