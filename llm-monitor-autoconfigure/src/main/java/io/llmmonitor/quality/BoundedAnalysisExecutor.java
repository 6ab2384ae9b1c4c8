package io.llmmonitor.quality;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.docs.LlmMeterNames;
import io.llmmonitor.docs.LlmMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs analyses of answers on one daemon thread, off the monitored call. Its queue is bounded:
 * when it is full an analysis is dropped, never waited for, counted in
 * {@code llm_quality_analyses_dropped_total} and reported by one WARN. At most
 * {@code capacity + 1} answers are held at a time.
 */
public final class BoundedAnalysisExecutor implements AutoCloseable {

	/** Analyses dropped because the queue was full, {@code llm_quality_analyses_dropped_total}. */
	public static final String DROPPED = LlmMeterNames.QUALITY_ANALYSES_DROPPED;

	private static final Log logger = LogFactory.getLog(BoundedAnalysisExecutor.class);

	private final ThreadPoolExecutor executor;

	private final int capacity;

	private final Counter dropped;

	private final AtomicBoolean warnedFull = new AtomicBoolean();

	/**
	 * @param capacity most analyses waiting, 1 or more
	 * @param registry where drops are counted
	 */
	public BoundedAnalysisExecutor(int capacity, MeterRegistry registry) {
		this.capacity = capacity;
		this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
				(task) -> {
					Thread thread = new Thread(task, "llm-monitor-quality");
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
		this.dropped = Counter.builder(DROPPED)
			.description(LlmMeters.QUALITY_ANALYSES_DROPPED.getDescription())
			.register(registry);
	}

	/**
	 * Queues the analysis, or drops it when the queue is full or the executor closed.
	 * @return whether it was queued
	 */
	public boolean submit(Runnable analysis) {
		try {
			this.executor.execute(() -> {
				try {
					analysis.run();
				}
				catch (RuntimeException ex) {
					MonitoringFailures.report("analysing an LLM answer", ex);
				}
			});
			return true;
		}
		catch (RejectedExecutionException ex) {
			this.dropped.increment();
			if (!this.executor.isShutdown() && this.warnedFull.compareAndSet(false, true)) {
				logger.warn("llm-monitor: " + this.capacity + " answer analyses are waiting; further answers are not "
						+ "analysed until the queue drains (counted in llm_quality_analyses_dropped_total). Raise "
						+ "llm.monitor.quality.queue-capacity if this lasts.");
			}
			return false;
		}
	}

	/** Stops the thread; analyses still queued are dropped. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
