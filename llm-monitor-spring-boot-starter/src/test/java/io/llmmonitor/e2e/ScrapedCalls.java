package io.llmmonitor.e2e;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The calls that the scrape tests make before they read the registry, so that every kind of
 * {@code llm_*} meter is there: a stream still running (the long task timers of calls in flight),
 * a finished stream, a blocking call and a failing one.
 */
final class ScrapedCalls {

	private ScrapedCalls() {
	}

	static void makeEveryKind(ChatApplication.ChatController controller) {
		Flux<String> running = controller.stream("hi").concatWith(Mono.never());
		running.take(Duration.ofSeconds(5)).subscribe();
		controller.stream("hi").blockLast(Duration.ofSeconds(10));
		controller.chat("hi").block(Duration.ofSeconds(10));
		controller.failing("hi").block(Duration.ofSeconds(10));
	}

}
