package io.llmmonitor.sample.demo;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Steady mixed demo load on the sample's own chat API, prefix {@code sample.demo-traffic}.
 */
@ConfigurationProperties("sample.demo-traffic")
public class DemoTrafficProperties implements Validator {

	/** Whether to send demo traffic once the server is up. */
	private boolean enabled = false;

	/** Requests started per second. */
	private double requestsPerSecond = 4;

	/** Most requests in flight; ticks beyond are skipped. */
	private int maxConcurrency = 16;

	/** Share of requests that stream. */
	private double streamingShare = 0.7;

	/** Share of answers of POST /api/chat that the demo user rates (POST /api/feedback); most get a thumbs up. */
	private double feedbackShare = 0.3;

	/** Models to spread the load over. */
	private List<String> models = new ArrayList<>(List.of("gpt-4o-sim", "llama-3.1-8b-sim", "claude-sonnet-sim",
			"o4-mini-sim"));

	/** Seconds between two progress lines in the log. */
	private int progressIntervalSeconds = 10;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public double getRequestsPerSecond() {
		return this.requestsPerSecond;
	}

	public void setRequestsPerSecond(double requestsPerSecond) {
		this.requestsPerSecond = requestsPerSecond;
	}

	public int getMaxConcurrency() {
		return this.maxConcurrency;
	}

	public void setMaxConcurrency(int maxConcurrency) {
		this.maxConcurrency = maxConcurrency;
	}

	public double getStreamingShare() {
		return this.streamingShare;
	}

	public void setStreamingShare(double streamingShare) {
		this.streamingShare = streamingShare;
	}

	public List<String> getModels() {
		return this.models;
	}

	public void setModels(List<String> models) {
		this.models = models;
	}

	public double getFeedbackShare() {
		return this.feedbackShare;
	}

	public void setFeedbackShare(double feedbackShare) {
		this.feedbackShare = feedbackShare;
	}

	public int getProgressIntervalSeconds() {
		return this.progressIntervalSeconds;
	}

	public void setProgressIntervalSeconds(int progressIntervalSeconds) {
		this.progressIntervalSeconds = progressIntervalSeconds;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DemoTrafficProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DemoTrafficProperties properties = (DemoTrafficProperties) target;
		if (!(properties.requestsPerSecond > 0 && properties.requestsPerSecond <= 1000)) {
			errors.rejectValue("requestsPerSecond", "sample.range", "must be more than 0 and at most 1000");
		}
		if (properties.maxConcurrency < 1) {
			errors.rejectValue("maxConcurrency", "sample.range", "must be 1 or more");
		}
		if (!(properties.streamingShare >= 0 && properties.streamingShare <= 1)) {
			errors.rejectValue("streamingShare", "sample.share", "must be between 0 and 1");
		}
		if (!(properties.feedbackShare >= 0 && properties.feedbackShare <= 1)) {
			errors.rejectValue("feedbackShare", "sample.share", "must be between 0 and 1");
		}
		if (properties.models.isEmpty()) {
			errors.rejectValue("models", "sample.models", "must name at least one model");
		}
		if (properties.progressIntervalSeconds < 1) {
			errors.rejectValue("progressIntervalSeconds", "sample.range", "must be 1 or more");
		}
	}

}
