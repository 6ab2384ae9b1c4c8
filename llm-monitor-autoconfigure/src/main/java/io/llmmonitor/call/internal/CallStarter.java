package io.llmmonitor.call.internal;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Starts a monitored call when the monitored work starts: on method entry, or on subscription
 * for reactive returns.
 */
@FunctionalInterface
public interface CallStarter {

	/**
	 * @param parent the observation the call runs in (an HTTP request, an endpoint), or {@code null}
	 * @return the started call, or {@code null} when this work is not to be monitored (another
	 * call already monitors it): it then runs untouched
	 */
	@Nullable ObservedCall start(@Nullable Observation parent);

	/**
	 * This starter for a value known to be a stream of several elements, or a single result: the
	 * kind is decided by what the monitored method returns at run time. A starter that keeps no
	 * such kind returns itself.
	 */
	default CallStarter withStream(boolean stream) {
		return this;
	}

	/**
	 * Whether a call started under this parent, which need not be in scope on this thread, needs
	 * the parent in scope while it starts (see {@link ParentScopes}). A starter that cannot tell
	 * says yes.
	 */
	default boolean needsParentScope(Observation parent) {
		return true;
	}

}
