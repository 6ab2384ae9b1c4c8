package io.llmmonitor.call.internal;

import io.micrometer.observation.Observation;

/**
 * Whether a call started under a parent observation that is not current on this thread (a
 * {@code Flux} subscribed with the parent in its Reactor context) needs the parent put in scope
 * while it starts. Only a tracer reads the thread while an observation starts: it takes the
 * thread's current span over the parent observation's when the two differ (Spring MVC subscribes
 * on the request thread, inside the HTTP server span). Opening a scope costs every handler's
 * scope work (the tracer's context, the logging MDC) twice, so it is opened only when the tracer
 * would otherwise pick another parent.
 */
@FunctionalInterface
public interface ParentScopes {

	/** Always opens the parent's scope: what a starter does without a tracer that can tell. */
	ParentScopes ALWAYS = (parent) -> true;

	/**
	 * @param parent the parent observation, not the one current on this thread
	 * @return whether the parent must be in scope while the call starts
	 */
	boolean needed(Observation parent);

}
