package io.llmmonitor.call;

import java.util.Objects;

import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.CardinalityGuard;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.call.internal.ParentScopes;
import io.llmmonitor.observation.DefaultEndpointObservationConvention;
import io.llmmonitor.observation.EndpointContext;
import io.llmmonitor.observation.EndpointObservationConvention;
import io.llmmonitor.observation.LlmObservationDocumentation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Starts {@code @MonitoredEndpoint} observations.
 */
public class EndpointMonitor {

	private static final DefaultEndpointObservationConvention DEFAULT_CONVENTION = new DefaultEndpointObservationConvention();

	private final ObservationRegistry registry;

	/** The default of {@code llm.monitor.max-endpoints}. */
	public static final int DEFAULT_MAX_ENDPOINTS = 100;

	private final @Nullable EndpointObservationConvention convention;

	private final CardinalityGuard endpointGuard;

	private ParentScopes parentScopes = ParentScopes.ALWAYS;

	/** A monitor with at most {@value #DEFAULT_MAX_ENDPOINTS} endpoint tag values. */
	public EndpointMonitor(ObservationRegistry registry, @Nullable EndpointObservationConvention convention) {
		this(registry, convention, DEFAULT_MAX_ENDPOINTS);
	}

	/**
	 * @param registry where observations go
	 * @param convention a custom convention, or {@code null} for the default one
	 * @param maxEndpoints most distinct {@code endpoint} tag values; further endpoints are tagged
	 * {@code other} in metrics
	 */
	public EndpointMonitor(ObservationRegistry registry, @Nullable EndpointObservationConvention convention,
			int maxEndpoints) {
		this.registry = registry;
		this.convention = convention;
		this.endpointGuard = new CardinalityGuard("endpoint names", "llm.monitor.max-endpoints", maxEndpoints);
	}

	/**
	 * Tells when an endpoint subscribed under a parent observation (from its Reactor context) needs
	 * the parent in scope to start; {@link ParentScopes#ALWAYS} until set. Set before the first call.
	 */
	public void setParentScopes(ParentScopes parentScopes) {
		this.parentScopes = Objects.requireNonNull(parentScopes, "parentScopes");
	}

	/** Starts the observation of the named endpoint when the returned starter is called. */
	public CallStarter starter(String endpoint) {
		return new EndpointStarter(endpoint);
	}

	private final class EndpointStarter implements CallStarter {

		private final String endpoint;

		EndpointStarter(String endpoint) {
			this.endpoint = endpoint;
		}

		@Override
		public ObservedCall start(@Nullable Observation parent) {
			EndpointContext context = new EndpointContext(this.endpoint);
			// before the predicates and conventions read it: the parent need not be in scope
			context.setParentObservation(parent);
			context.setEndpointTag(EndpointMonitor.this.endpointGuard.atStart(this.endpoint));
			Observation observation = LlmObservationDocumentation.ENDPOINT
				.observation(EndpointMonitor.this.convention, DEFAULT_CONVENTION, () -> context,
						EndpointMonitor.this.registry)
				.parentObservation(parent);
			ObservationStarts.start(observation);
			return new EndpointCall(EndpointMonitor.this.registry, context, observation,
					EndpointMonitor.this.endpointGuard);
		}

		@Override
		public boolean needsParentScope(Observation parent) {
			return EndpointMonitor.this.parentScopes.needed(parent);
		}

	}

}
