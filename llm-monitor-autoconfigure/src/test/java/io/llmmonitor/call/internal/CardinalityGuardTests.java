package io.llmmonitor.call.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of {@link CardinalityGuard}: which values take its slots, and that concurrent first
 * use never admits more than its bound.
 */
class CardinalityGuardTests {

	@Test
	void theValuesOfNoModelAndOfTheFoldTakeNoSlot() {
		CardinalityGuard guard = new CardinalityGuard("model names", "llm.monitor.max-models", 2);

		for (String placeholder : List.of("unknown", CardinalityGuard.OTHER)) {
			assertThat(guard.atStart(placeholder)).isEqualTo(placeholder);
			assertThat(guard.atEnd(placeholder, true)).isEqualTo(placeholder);
			assertThat(guard.atEnd(placeholder, false)).isEqualTo(placeholder);
		}

		for (String model : List.of("gpt-4o", "claude-sonnet-4")) {
			assertThat(guard.atStart(model)).isEqualTo(model);
			assertThat(guard.atEnd(model, true)).isEqualTo(model);
		}
		assertThat(guard.atStart("llama-3.1-8b")).isEqualTo(CardinalityGuard.OTHER);
		assertThat(guard.atEnd("llama-3.1-8b", true)).isEqualTo(CardinalityGuard.OTHER);
		// still its own value once the bound is reached
		assertThat(guard.atStart("unknown")).isEqualTo("unknown");
	}

	@Test
	void namesSeenOnlyInFailedCallsLeaveTheBoundToRealOnes() {
		CardinalityGuard guard = new CardinalityGuard("model names", "llm.monitor.max-models", 3);

		for (int i = 0; i < 300; i++) {
			guard.atStart("typo-" + i);
			guard.atEnd("typo-" + i, false);
		}

		for (String model : List.of("gpt-4o", "claude-sonnet-4", "o4-mini")) {
			guard.atStart(model);
			assertThat(guard.atEnd(model, true)).isEqualTo(model);
		}
	}

	@Test
	void concurrentFirstUseAdmitsNoMoreThanTheBound() throws Exception {
		int max = 5;
		CardinalityGuard guard = new CardinalityGuard("model names", "llm.monitor.max-models", max);
		int threads = 8;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		try {
			List<Future<Set<String>>> results = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				results.add(executor.submit(() -> {
					start.await();
					Set<String> tags = new HashSet<>();
					for (int i = 0; i < 200; i++) {
						String model = "model-" + ((i * threads + thread) % 50);
						tags.add(guard.atStart(model));
						tags.add(guard.atEnd(model, true));
					}
					return tags;
				}));
			}
			start.countDown();
			Set<String> tags = new HashSet<>();
			for (Future<Set<String>> result : results) {
				tags.addAll(result.get(30, TimeUnit.SECONDS));
			}
			tags.remove(CardinalityGuard.OTHER);
			// admitted values, and the unconfirmed ones named while their first call ran
			assertThat(tags).hasSizeLessThanOrEqualTo(max + CardinalityGuard.MAX_UNCONFIRMED);
			// exactly the bound admitted; a value whose first success came when the bound was full
			// stays unconfirmed and keeps its name, within the pool
			assertThat(guard.admittedCount()).isEqualTo(max);
			Set<String> named = new HashSet<>();
			for (int i = 0; i < 50; i++) {
				String tag = guard.atEnd("model-" + i, true);
				if (!tag.equals(CardinalityGuard.OTHER)) {
					named.add(tag);
				}
			}
			assertThat(named).hasSizeBetween(max, max + CardinalityGuard.MAX_UNCONFIRMED);
			assertThat(guard.admittedCount()).isEqualTo(max);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
