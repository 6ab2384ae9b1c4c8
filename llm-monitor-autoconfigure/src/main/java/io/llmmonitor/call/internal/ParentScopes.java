package io.llmmonitor.call.internal;

import io.micrometer.observation.Observation;

/**
 * Whether a call started under a parent observation that is not in scope on this thread (a
 * {@code Flux} subscribed with the parent in its Reactor context) needs the parent put in scope
 * while it starts. The starters hand the parent to the new observation's context before
 * Micrometer asks predicates and conventions, so that what the scope still decides is the
 * thread's state the handlers see: the tracer takes the thread's current span over the parent
 * observation's when the two differ (Spring MVC subscribes on the request thread, inside the HTTP
 * server span), and the logging MDC holds the parent's trace ids. Opening a scope costs every
 * handler's scope work twice, so it is opened only when the tracer would otherwise pick another
 * parent span.
 */
@FunctionalInterface
public interface ParentScopes {

	/** Always opens the parent's scope: what the starters do without a tracer that can tell. */
	ParentScopes ALWAYS = (parent) -> true;

	/**
	 * @param parent the parent observation
	 * @return whether the parent must be in scope while the call starts
	 */
	boolean needed(Observation parent);

}
