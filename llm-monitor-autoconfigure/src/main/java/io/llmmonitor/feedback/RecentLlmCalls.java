package io.llmmonitor.feedback;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The LLM calls that ended recently, by trace id, so that feedback given by trace id finds the
 * call's model, provider and span. Bounded: at most {@code maxSize} calls (the oldest forgotten
 * first), each for {@code timeToLive}; a trace with several calls keeps its last one.
 */
public final class RecentLlmCalls {

	private final int maxSize;

	private final long timeToLiveNanos;

	private final Clock clock;

	/** In the order the calls were remembered: the oldest first. */
	private final LinkedHashMap<String, Entry> calls = new LinkedHashMap<>();

	private record Entry(FeedbackHandle call, long rememberedNanos) {
	}

	/**
	 * @param maxSize most calls remembered; 0 remembers none
	 * @param timeToLive how long a call is remembered
	 * @param clock the clock the time to live is measured with
	 */
	public RecentLlmCalls(int maxSize, Duration timeToLive, Clock clock) {
		this.maxSize = maxSize;
		this.timeToLiveNanos = timeToLive.toNanos();
		this.clock = clock;
	}

	/** Remembers a call that has a trace id. */
	public void remember(FeedbackHandle call) {
		String traceId = call.traceId();
		if (traceId == null || this.maxSize == 0) {
			return;
		}
		long now = this.clock.monotonicTime();
		synchronized (this.calls) {
			this.calls.remove(traceId);
			this.calls.put(traceId, new Entry(call, now));
			expire(now);
			while (this.calls.size() > this.maxSize) {
				Iterator<String> oldest = this.calls.keySet().iterator();
				oldest.next();
				oldest.remove();
			}
		}
	}

	/** The last call of the trace, when it ended within the time to live. */
	public @Nullable FeedbackHandle find(String traceId) {
		long now = this.clock.monotonicTime();
		synchronized (this.calls) {
			expire(now);
			Entry entry = this.calls.get(traceId);
			return (entry != null) ? entry.call() : null;
		}
	}

	/** Calls remembered now. */
	public int size() {
		synchronized (this.calls) {
			expire(this.clock.monotonicTime());
			return this.calls.size();
		}
	}

	private void expire(long now) {
		Iterator<Map.Entry<String, Entry>> oldest = this.calls.entrySet().iterator();
		while (oldest.hasNext() && now - oldest.next().getValue().rememberedNanos() >= this.timeToLiveNanos) {
			oldest.remove();
		}
	}

}
