package io.llmmonitor.call;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The bound on how long an LLM call's end waits for the calls joined into it: one daemon thread,
 * made on first use, that only runs the ends whose wait ran out. A wait cancelled (the usual
 * case) leaves nothing behind.
 */
final class JoinedCallTimeouts {

	private JoinedCallTimeouts() {
	}

	private static final class Holder {

		static final ScheduledThreadPoolExecutor EXECUTOR = executor();

		private static ScheduledThreadPoolExecutor executor() {
			ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
				Thread thread = new Thread(task, "llm-monitor-joined-call-timeouts");
				thread.setDaemon(true);
				return thread;
			});
			executor.setRemoveOnCancelPolicy(true);
			return executor;
		}

	}

	/** Runs the end after the wait, unless the returned future is cancelled first. */
	static Future<?> schedule(Runnable end, Duration wait) {
		return Holder.EXECUTOR.schedule(() -> {
			try {
				end.run();
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("ending an LLM call whose joined calls did not end", ex);
			}
		}, Math.max(1, Math.min(wait.toMillis(), TimeUnit.DAYS.toMillis(1))), TimeUnit.MILLISECONDS);
	}

}
