package io.llmmonitor.quality;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executor of answer analyses: bounded, never waited for, drops counted.
 */
@ExtendWith(OutputCaptureExtension.class)
class BoundedAnalysisExecutorTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void aFullQueueDropsTheAnalysisWithoutWaitingCountsItAndWarnsOnce(CapturedOutput output) throws Exception {
		try (BoundedAnalysisExecutor executor = new BoundedAnalysisExecutor(2, this.registry)) {
			CountDownLatch running = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			List<String> ran = new CopyOnWriteArrayList<>();
			assertThat(executor.submit(() -> {
				running.countDown();
				await(release);
				ran.add("first");
			})).isTrue();
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
			// the thread is busy: two wait in the queue, the next ones are dropped on this thread
			assertThat(executor.submit(() -> ran.add("second"))).isTrue();
			assertThat(executor.submit(() -> ran.add("third"))).isTrue();
			assertThat(executor.submit(() -> ran.add("dropped"))).isFalse();
			assertThat(executor.submit(() -> ran.add("dropped too"))).isFalse();
			assertThat(this.registry.get(BoundedAnalysisExecutor.DROPPED).counter().count()).isEqualTo(2);
			assertThat(output).containsOnlyOnce("2 answer analyses are waiting");

			release.countDown();
			CountDownLatch drained = new CountDownLatch(1);
			while (!executor.submit(drained::countDown)) {
				Thread.onSpinWait();
			}
			assertThat(drained.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(ran).containsExactly("first", "second", "third");
		}
	}

	@Test
	void aFailingAnalysisIsReportedAndTheNextOneRuns(CapturedOutput output) throws Exception {
		try (BoundedAnalysisExecutor executor = new BoundedAnalysisExecutor(4, this.registry)) {
			CountDownLatch next = new CountDownLatch(1);
			executor.submit(() -> {
				throw new IllegalStateException("broken analysis");
			});
			executor.submit(next::countDown);
			assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(output).contains("failure while analysing an LLM answer").contains("broken analysis");
		}
	}

	@Test
	void aClosedExecutorDropsWithoutWarning(CapturedOutput output) {
		BoundedAnalysisExecutor executor = new BoundedAnalysisExecutor(1, this.registry);
		executor.close();
		assertThat(executor.submit(() -> {
		})).isFalse();
		assertThat(output).doesNotContain("answer analyses are waiting");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
