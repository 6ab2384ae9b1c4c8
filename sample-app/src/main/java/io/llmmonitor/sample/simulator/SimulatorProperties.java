package io.llmmonitor.sample.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The built-in simulated OpenAI-compatible model server, prefix {@code sample.simulator}.
 */
@ConfigurationProperties("sample.simulator")
public class SimulatorProperties implements Validator {

	/** Whether this application also serves /v1/chat/completions with simulated models. */
	private boolean enabled = true;

	/** Share of requests answered with HTTP 429 or 500 before any token. */
	private double errorRate = 0.05;

	/** Share of streams cut off after a few tokens. */
	private double streamAbortRate = 0.02;

	/** Share of answers cut at the token limit (finish reason "length"). */
	private double truncationRate = 0.05;

	/** Share of answers in which the model declines ("I'm sorry, but I can't help with that."). */
	private double refusalRate = 0.02;

	/** Share of answers with no content at all (an empty completion). */
	private double emptyRate = 0.01;

	/** Share of requests served slowly (every delay multiplied by slow-factor). */
	private double slowRate = 0.05;

	/** How much slower a slow request is. */
	private double slowFactor = 8;

	/** Fewest tokens in an answer. */
	private int minTokens = 20;

	/** Most tokens in an answer. */
	private int maxTokens = 120;

	/** The simulated models, each with its own speed. */
	private List<Model> models = new ArrayList<>(List.of(new Model("gpt-4o-sim", Duration.ofMillis(350), 60),
			new Model("llama-3.1-8b-sim", Duration.ofMillis(80), 150),
			new Model("claude-sonnet-sim", Duration.ofMillis(700), 40),
			new Model("o4-mini-sim", Duration.ofMillis(250), 150, 200, 0.5)));

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public double getErrorRate() {
		return this.errorRate;
	}

	public void setErrorRate(double errorRate) {
		this.errorRate = errorRate;
	}

	public double getTruncationRate() {
		return this.truncationRate;
	}

	public void setTruncationRate(double truncationRate) {
		this.truncationRate = truncationRate;
	}

	public double getRefusalRate() {
		return this.refusalRate;
	}

	public void setRefusalRate(double refusalRate) {
		this.refusalRate = refusalRate;
	}

	public double getEmptyRate() {
		return this.emptyRate;
	}

	public void setEmptyRate(double emptyRate) {
		this.emptyRate = emptyRate;
	}

	public double getStreamAbortRate() {
		return this.streamAbortRate;
	}

	public void setStreamAbortRate(double streamAbortRate) {
		this.streamAbortRate = streamAbortRate;
	}

	public double getSlowRate() {
		return this.slowRate;
	}

	public void setSlowRate(double slowRate) {
		this.slowRate = slowRate;
	}

	public double getSlowFactor() {
		return this.slowFactor;
	}

	public void setSlowFactor(double slowFactor) {
		this.slowFactor = slowFactor;
	}

	public int getMinTokens() {
		return this.minTokens;
	}

	public void setMinTokens(int minTokens) {
		this.minTokens = minTokens;
	}

	public int getMaxTokens() {
		return this.maxTokens;
	}

	public void setMaxTokens(int maxTokens) {
		this.maxTokens = maxTokens;
	}

	public List<Model> getModels() {
		return this.models;
	}

	public void setModels(List<Model> models) {
		this.models = models;
	}

	@Override
	public boolean supports(Class<?> type) {
		return SimulatorProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		SimulatorProperties properties = (SimulatorProperties) target;
		rejectUnlessShare(errors, "errorRate", properties.errorRate);
		rejectUnlessShare(errors, "streamAbortRate", properties.streamAbortRate);
		rejectUnlessShare(errors, "slowRate", properties.slowRate);
		rejectUnlessShare(errors, "truncationRate", properties.truncationRate);
		rejectUnlessShare(errors, "refusalRate", properties.refusalRate);
		rejectUnlessShare(errors, "emptyRate", properties.emptyRate);
		if (!(properties.slowFactor >= 1)) {
			errors.rejectValue("slowFactor", "sample.range", "must be 1 or more");
		}
		if (properties.minTokens < 1 || properties.maxTokens < properties.minTokens) {
			errors.rejectValue("maxTokens", "sample.range", "min-tokens must be 1 or more and max-tokens at least min-tokens");
		}
		if (properties.models.isEmpty() || properties.models.stream()
			.anyMatch((model) -> model.getName() == null || model.getName().isBlank() || !(model.getTokensPerSecond() > 0)
					|| model.getReasoningTokens() < 0
					|| !(model.getCachedPromptShare() >= 0 && model.getCachedPromptShare() <= 1))) {
			errors.rejectValue("models", "sample.models", "must list models, each with a name, tokens-per-second > 0, "
					+ "reasoning-tokens 0 or more and cached-prompt-share between 0 and 1");
		}
	}

	private static void rejectUnlessShare(Errors errors, String field, double value) {
		if (!(value >= 0 && value <= 1)) {
			errors.rejectValue(field, "sample.share", "must be between 0 and 1");
		}
	}

	/**
	 * One simulated model.
	 */
	public static class Model {

		/** Model name, as requested and reported. */
		private String name = "";

		/** Time to first token. */
		private Duration timeToFirstToken = Duration.ofMillis(300);

		/** Decode speed after the first token. */
		private double tokensPerSecond = 50;

		/**
		 * Hidden reasoning tokens of each answer (a reasoning model): spent before the first token
		 * at the decode speed, and reported in the usage inside the completion tokens.
		 */
		private int reasoningTokens;

		/** Share of the prompt tokens reported as read from the prompt cache. */
		private double cachedPromptShare;

		public Model() {
		}

		public Model(String name, Duration timeToFirstToken, double tokensPerSecond) {
			this(name, timeToFirstToken, tokensPerSecond, 0, 0);
		}

		public Model(String name, Duration timeToFirstToken, double tokensPerSecond, int reasoningTokens,
				double cachedPromptShare) {
			this.name = name;
			this.timeToFirstToken = timeToFirstToken;
			this.tokensPerSecond = tokensPerSecond;
			this.reasoningTokens = reasoningTokens;
			this.cachedPromptShare = cachedPromptShare;
		}

		public int getReasoningTokens() {
			return this.reasoningTokens;
		}

		public void setReasoningTokens(int reasoningTokens) {
			this.reasoningTokens = reasoningTokens;
		}

		public double getCachedPromptShare() {
			return this.cachedPromptShare;
		}

		public void setCachedPromptShare(double cachedPromptShare) {
			this.cachedPromptShare = cachedPromptShare;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public Duration getTimeToFirstToken() {
			return this.timeToFirstToken;
		}

		public void setTimeToFirstToken(Duration timeToFirstToken) {
			this.timeToFirstToken = timeToFirstToken;
		}

		public double getTokensPerSecond() {
			return this.tokensPerSecond;
		}

		public void setTokensPerSecond(double tokensPerSecond) {
			this.tokensPerSecond = tokensPerSecond;
		}

	}

}
