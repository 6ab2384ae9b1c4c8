package io.llmmonitor.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Observation context of one {@code @MonitoredEndpoint} invocation.
 */
public class EndpointContext extends Observation.Context {

	private final String endpoint;

	private @Nullable CallStatus status;

	public EndpointContext(String endpoint) {
		this.endpoint = endpoint;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public @Nullable CallStatus getStatus() {
		return this.status;
	}

	public void setStatus(CallStatus status) {
		this.status = status;
	}

}
