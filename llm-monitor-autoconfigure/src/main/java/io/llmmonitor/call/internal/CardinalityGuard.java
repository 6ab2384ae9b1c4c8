package io.llmmonitor.call.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Bounds the distinct values of one metric tag whose values come from run-time data
 * ({@code model}, {@code provider}, {@code operation}, {@code endpoint}, {@code error_type}), so
 * that a request or an expression cannot make Prometheus series without end. Values beyond the
 * bound become {@value #OTHER} in metrics (spans keep the real value), with one WARN per tag and
 * reason.
 * <p>
 * A value that only ever fails (a mistyped model, "model not found") must not take the place of
 * a real one, so a value is <em>admitted</em> by its first successful call, while fewer than
 * {@code max} values are admitted; admitted values keep their name for good. Until then a value
 * is <em>unconfirmed</em>: its calls keep its name while it holds one of the few slots of the
 * unconfirmed pool ({@code min(10, max)} values, taken when one of its calls starts while values
 * can still be admitted, given back when it is admitted), else they are tagged {@value #OTHER}.
 * A tag therefore has at most {@code max + min(10, max)} values besides {@value #OTHER}, and junk
 * values, however many, take at most the pool. A value whose call starts unconfirmed without a
 * slot is tagged {@value #OTHER} while the call runs ({@code llm_active_requests}) and gets its
 * name when the call succeeds and admits it.
 * <p>
 * {@value #UNKNOWN} (no value known) and {@value #OTHER} are the library's own values, never
 * more than those two: they keep their name and take no slot.
 */
public final class CardinalityGuard {

	/** Tag value of the values beyond the bound. */
	public static final String OTHER = "other";

	/** Tag value of a call that names no value (no model known): one value, that takes no slot. */
	public static final String UNKNOWN = "unknown";

	/** Most unconfirmed values that keep their name. */
	public static final int MAX_UNCONFIRMED = 10;

	private static final Log logger = LogFactory.getLog(CardinalityGuard.class);

	private final String values;

	private final String property;

	private final int max;

	private final int maxUnconfirmed;

	private final Set<String> admitted = ConcurrentHashMap.newKeySet();

	private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean warnedFull = new AtomicBoolean();

	private final AtomicBoolean warnedUnconfirmed = new AtomicBoolean();

	/**
	 * @param values what the values are, for the warning ("model names")
	 * @param property the property that sets {@code max}
	 * @param max most admitted values
	 */
	public CardinalityGuard(String values, String property, int max) {
		this.values = values;
		this.property = property;
		this.max = max;
		this.maxUnconfirmed = Math.min(MAX_UNCONFIRMED, max);
	}

	/** The tag of a call with this value that starts, its outcome unknown. */
	public String atStart(String value) {
		if (isReserved(value) || this.admitted.contains(value) || this.unconfirmed.contains(value)) {
			return value;
		}
		boolean full;
		synchronized (this) {
			if (this.admitted.contains(value) || this.unconfirmed.contains(value)) {
				return value;
			}
			full = this.admitted.size() >= this.max;
			if (!full && this.unconfirmed.size() < this.maxUnconfirmed) {
				this.unconfirmed.add(value);
				return value;
			}
		}
		return full ? foldFull(value) : foldUnconfirmed(value);
	}

	/** The tag of a call with this value that ended; a success admits the value while there is room. */
	public String atEnd(String value, boolean succeeded) {
		if (isReserved(value) || this.admitted.contains(value)) {
			return value;
		}
		boolean full;
		synchronized (this) {
			if (this.admitted.contains(value)) {
				return value;
			}
			if (succeeded && this.admitted.size() < this.max) {
				this.admitted.add(value);
				this.unconfirmed.remove(value);
				return value;
			}
			if (this.unconfirmed.contains(value)) {
				return value;
			}
			full = this.admitted.size() >= this.max;
		}
		return full ? foldFull(value) : foldUnconfirmed(value);
	}

	/** The tag of a value that has no outcome of its own (an error type): the first {@code max} values keep their name. */
	public String admit(String value) {
		return atEnd(value, true);
	}

	/**
	 * The tag the calls with this value get now, for a signal about them that must not admit
	 * values of its own (feedback on a call): its name while admitted or unconfirmed, else
	 * {@value #OTHER}. Changes nothing and warns of nothing: the calls did.
	 */
	public String tagOf(String value) {
		return (isReserved(value) || this.admitted.contains(value) || this.unconfirmed.contains(value)) ? value
				: OTHER;
	}

	/** How many values are admitted, for tests. */
	int admittedCount() {
		return this.admitted.size();
	}

	private static boolean isReserved(String value) {
		return UNKNOWN.equals(value) || OTHER.equals(value);
	}

	private String foldFull(String value) {
		if (this.warnedFull.compareAndSet(false, true)) {
			logger.warn("llm-monitor: more than " + this.max + " distinct " + this.values + " (latest: '" + value
					+ "'); metrics tag further ones \"" + OTHER + "\", spans keep the real value. Raise "
					+ this.property + " if they are legitimate.");
		}
		return OTHER;
	}

	private String foldUnconfirmed(String value) {
		if (this.warnedUnconfirmed.compareAndSet(false, true)) {
			logger.warn("llm-monitor: more than " + this.maxUnconfirmed + " distinct " + this.values
					+ " seen only in calls that did not succeed (latest: '" + value + "'); metrics tag their calls \""
					+ OTHER + "\" until one succeeds, spans keep the real value.");
		}
		return OTHER;
	}

}
