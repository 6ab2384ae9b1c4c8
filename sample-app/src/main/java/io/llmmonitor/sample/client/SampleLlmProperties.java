package io.llmmonitor.sample.client;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the sample's LLM client sends requests, prefix {@code sample.llm}.
 */
@ConfigurationProperties("sample.llm")
public class SampleLlmProperties {

	/**
	 * Base URL of an OpenAI-compatible server (https://api.openai.com, http://localhost:8000 for
	 * vLLM, http://localhost:11434 for Ollama). Empty: the built-in simulator of this application.
	 */
	private String baseUrl = "";

	/** API key sent as a bearer token; empty sends none. */
	private String apiKey = "";

	/** Provider name reported in metrics and spans. */
	private String provider = "simulated";

	/** Model used when a request names none. */
	private String defaultModel = "gpt-4o-sim";

	/** How long to wait for a whole answer. */
	private Duration timeout = Duration.ofSeconds(60);

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(String apiKey) {
		this.apiKey = apiKey;
	}

	public String getProvider() {
		return this.provider;
	}

	public void setProvider(String provider) {
		this.provider = provider;
	}

	public String getDefaultModel() {
		return this.defaultModel;
	}

	public void setDefaultModel(String defaultModel) {
		this.defaultModel = defaultModel;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
