package io.llmmonitor.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Observation context of one {@code @MonitoredEndpoint} invocation.
 */
public class EndpointContext extends Observation.Context {

	private final String endpoint;

	private @Nullable CallStatus status;

	private @Nullable String endpointTag;

	public EndpointContext(String endpoint) {
		this.endpoint = endpoint;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	/**
	 * The endpoint as a metric tag: {@link #getEndpoint()}, or {@code other} past
	 * {@code llm.monitor.max-endpoints}.
	 */
	public String getEndpointTag() {
		return (this.endpointTag != null) ? this.endpointTag : this.endpoint;
	}

	public void setEndpointTag(String endpointTag) {
		this.endpointTag = endpointTag;
	}

	public @Nullable CallStatus getStatus() {
		return this.status;
	}

	public void setStatus(CallStatus status) {
		this.status = status;
	}

}
