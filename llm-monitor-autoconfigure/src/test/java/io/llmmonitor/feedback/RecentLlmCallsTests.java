package io.llmmonitor.feedback;

import java.time.Duration;

import io.micrometer.core.instrument.MockClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recent calls by trace id: bounded in number and in time.
 */
class RecentLlmCallsTests {

	private final MockClock clock = new MockClock();

	private static FeedbackHandle call(int i, String model) {
		return new FeedbackHandle(String.format("%032x", i), String.format("%016x", i), model, "openai");
	}

	@Test
	void keepsAtMostMaxSizeCallsForgettingTheOldestFirst() {
		RecentLlmCalls recent = new RecentLlmCalls(3, Duration.ofHours(1), this.clock);
		for (int i = 1; i <= 5; i++) {
			recent.remember(call(i, "m" + i));
		}
		assertThat(recent.size()).isEqualTo(3);
		assertThat(recent.find(call(1, "").traceId())).isNull();
		assertThat(recent.find(call(2, "").traceId())).isNull();
		assertThat(recent.find(call(5, "").traceId())).isEqualTo(call(5, "m5"));
	}

	@Test
	void forgetsACallOnceItsTimeToLivePassed() {
		RecentLlmCalls recent = new RecentLlmCalls(10, Duration.ofMinutes(10), this.clock);
		recent.remember(call(1, "m1"));
		this.clock.add(Duration.ofMinutes(5));
		recent.remember(call(2, "m2"));
		this.clock.add(Duration.ofMinutes(5).minusNanos(1));
		assertThat(recent.find(call(1, "").traceId())).isEqualTo(call(1, "m1"));
		this.clock.add(Duration.ofNanos(1));
		assertThat(recent.find(call(1, "").traceId())).isNull();
		assertThat(recent.find(call(2, "").traceId())).isEqualTo(call(2, "m2"));
		assertThat(recent.size()).isEqualTo(1);
	}

	@Test
	void theLastCallOfATraceIsKeptAndRefreshed() {
		RecentLlmCalls recent = new RecentLlmCalls(2, Duration.ofHours(1), this.clock);
		recent.remember(call(1, "first"));
		recent.remember(call(2, "m2"));
		recent.remember(call(1, "second"));
		recent.remember(call(3, "m3"));
		// trace 1 was remembered again after trace 2: trace 2 is the oldest and goes
		assertThat(recent.find(call(1, "").traceId())).isEqualTo(call(1, "second"));
		assertThat(recent.find(call(2, "").traceId())).isNull();
	}

	@Test
	void callsWithoutTraceIdOrWithSizeZeroAreNotRemembered() {
		RecentLlmCalls none = new RecentLlmCalls(0, Duration.ofHours(1), this.clock);
		none.remember(call(1, "m1"));
		assertThat(none.size()).isZero();
		RecentLlmCalls recent = new RecentLlmCalls(10, Duration.ofHours(1), this.clock);
		recent.remember(new FeedbackHandle(null, null, "m", "p"));
		assertThat(recent.size()).isZero();
	}

}
