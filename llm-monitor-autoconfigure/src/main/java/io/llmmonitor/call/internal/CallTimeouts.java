package io.llmmonitor.call.internal;

import io.llmmonitor.call.LlmMonitor;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Bounds on how long a call waits for something that may never come (the end of the calls joined
 * into it, the first subscription of the reactive value its method returned): one daemon thread,
 * made on first use, that only runs the ends whose wait ran out. A wait cancelled leaves nothing
 * behind.
 * <p>
 * Owned by the application context (the auto-configuration makes one and closes it with the
 * context) or by the {@link LlmMonitor} or {@link InvocationObserver} that made it:
 * {@link #close()} ends every call still waiting now, as its timeout would, and stops the thread,
 * so that no wait keeps a call, or the registries it records into, past its context. A wait set
 * up after the close ends its call at once.
 */
public final class CallTimeouts implements AutoCloseable {

	/** How long a call waits, in slow-request thresholds. */
	public static final int WAIT_FACTOR = 60;

	/** The name of the thread that runs the ends whose wait ran out. */
	public static final String THREAD_NAME = "llm-monitor-call-timeouts";

	private static final Duration LONGEST_WAIT = Duration.ofDays(1);

	private static final AtomicLong scheduled = new AtomicLong();

	private static final AtomicLong cancelled = new AtomicLong();

	private final Set<Wait> pending = ConcurrentHashMap.newKeySet();

	private @Nullable Worker executor;

	private volatile @Nullable Thread thread;

	private boolean closed;

	/** Waits scheduled so far, for tests. */
	public static long scheduled() {
		return scheduled.get();
	}

	/** Waits cancelled so far, for tests. */
	public static long cancelled() {
		return cancelled.get();
	}

	/** Ends a wait that is no longer needed: nothing of it stays queued. */
	public static void cancel(@Nullable Wait wait) {
		if (wait != null && wait.cancel()) {
			cancelled.incrementAndGet();
		}
	}

	/** {@value #WAIT_FACTOR} times the slow-request threshold, at most a day. */
	public static Duration waitFor(Duration slowRequestThreshold) {
		try {
			Duration wait = slowRequestThreshold.multipliedBy(WAIT_FACTOR);
			return (wait.compareTo(LONGEST_WAIT) < 0) ? wait : LONGEST_WAIT;
		}
		catch (ArithmeticException ex) {
			return LONGEST_WAIT;
		}
	}

	/**
	 * Runs the end after the wait (at most a day), unless the returned wait is cancelled first,
	 * or when this is closed, whichever comes first; once closed, at once.
	 */
	public Wait schedule(Runnable end, Duration wait) {
		scheduled.incrementAndGet();
		long millis = (wait.compareTo(LONGEST_WAIT) < 0) ? wait.toMillis() : LONGEST_WAIT.toMillis();
		Wait due = new Wait(end);
		synchronized (this) {
			if (!this.closed) {
				this.pending.add(due);
				Future<?> future = executor().schedule(due::run, Math.max(1, millis), TimeUnit.MILLISECONDS);
				due.future = future;
				if (due.done != 0) {
					// cancelled before its future was known: nothing of it stays queued
					future.cancel(false);
				}
				return due;
			}
		}
		due.run();
		return due;
	}

	private Worker executor() {
		Worker executor = this.executor;
		if (executor == null) {
			executor = new Worker();
			this.executor = executor;
		}
		return executor;
	}

	/** The thread that runs the ends whose wait ran out, once made, for tests. */
	@Nullable Thread thread() {
		return this.thread;
	}

	/**
	 * Ends every call still waiting now, as its timeout would, and stops the thread (waiting a
	 * little for an end it is running). Later waits end their call at once.
	 */
	@Override
	public void close() {
		Worker executor;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			executor = this.executor;
			this.executor = null;
		}
		for (Wait due : List.copyOf(this.pending)) {
			due.run();
		}
		if (executor != null) {
			executor.shutdown();
			Thread thread = executor.thread;
			if (thread != null && thread != Thread.currentThread()) {
				try {
					thread.join(TimeUnit.SECONDS.toMillis(10));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	/**
	 * The one daemon thread, made on first use, without the thread locals of the thread that made
	 * it and with the library's class loader rather than whichever one that thread had.
	 */
	private final class Worker extends ScheduledThreadPoolExecutor {

		volatile @Nullable Thread thread;

		Worker() {
			super(1);
			setThreadFactory((task) -> {
				Thread thread = new Thread(null, task, THREAD_NAME, 0, false);
				thread.setDaemon(true);
				thread.setContextClassLoader(CallTimeouts.class.getClassLoader());
				this.thread = thread;
				CallTimeouts.this.thread = thread;
				return thread;
			});
			setRemoveOnCancelPolicy(true);
			setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		}

	}

	/** One wait: its end runs once, on timeout or at close, unless cancelled first. */
	public final class Wait {

		private final Runnable end;

		private static final AtomicIntegerFieldUpdater<Wait> DONE = AtomicIntegerFieldUpdater.newUpdater(Wait.class,
				"done");

		/** 1 once run or cancelled, set by {@link #DONE}. */
		private volatile int done;

		volatile @Nullable Future<?> future;

		Wait(Runnable end) {
			this.end = end;
		}

		void run() {
			if (!finish()) {
				return;
			}
			try {
				this.end.run();
			}
			catch (RuntimeException ex) {
				MonitoringFailures.report("ending a call whose wait ran out", ex);
			}
		}

		boolean cancel() {
			return finish();
		}

		private boolean finish() {
			if (!DONE.compareAndSet(this, 0, 1)) {
				return false;
			}
			CallTimeouts.this.pending.remove(this);
			Future<?> future = this.future;
			if (future != null) {
				future.cancel(false);
			}
			return true;
		}

	}

}
