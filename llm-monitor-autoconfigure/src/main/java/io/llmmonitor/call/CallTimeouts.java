package io.llmmonitor.call;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Bounds on how long a call waits for something that may never come (the end of the calls joined
 * into it, the first subscription of the reactive value its method returned): one daemon thread,
 * made on first use, that only runs the ends whose wait ran out. A wait cancelled leaves nothing
 * behind.
 */
final class CallTimeouts {

	/** How long a call waits, in slow-request thresholds. */
	static final int WAIT_FACTOR = 60;

	private static final Duration LONGEST_WAIT = Duration.ofDays(1);

	private CallTimeouts() {
	}

	private static final class Holder {

		static final ScheduledThreadPoolExecutor EXECUTOR = executor();

		private static ScheduledThreadPoolExecutor executor() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "llm-monitor-call-timeouts");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

	private static final AtomicLong scheduled = new AtomicLong();

	private static final AtomicLong cancelled = new AtomicLong();

	/** Waits scheduled so far, for tests. */
	static long scheduled() {
		return scheduled.get();
	}

	/** Waits cancelled so far, for tests. */
	static long cancelled() {
		return cancelled.get();
	}

	/** Ends a wait that is no longer needed: nothing of it stays queued. */
	static void cancel(@Nullable Future<?> wait) {
		if (wait != null && wait.cancel(false)) {
			cancelled.incrementAndGet();
		}
	}

	/** {@value #WAIT_FACTOR} times the slow-request threshold, at most a day. */
	static Duration waitFor(Duration slowRequestThreshold) {
		try {
			Duration wait = slowRequestThreshold.multipliedBy(WAIT_FACTOR);
			return (wait.compareTo(LONGEST_WAIT) < 0) ? wait : LONGEST_WAIT;
		}
		catch (ArithmeticException ex) {
			return LONGEST_WAIT;
		}
	}

	/** Runs the end after the wait (at most a day), unless the returned future is cancelled first. */
	static Future<?> schedule(Runnable end, Duration wait) {
		scheduled.incrementAndGet();
		long millis = (wait.compareTo(LONGEST_WAIT) < 0) ? wait.toMillis() : LONGEST_WAIT.toMillis();
		return Holder.EXECUTOR.schedule(() -> {
			try {
				end.run();
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("ending a call whose wait ran out", ex);
			}
		}, Math.max(1, millis), TimeUnit.MILLISECONDS);
	}

}
