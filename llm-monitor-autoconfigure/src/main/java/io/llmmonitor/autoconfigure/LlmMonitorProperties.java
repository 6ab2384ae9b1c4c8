package io.llmmonitor.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.ContentCapture;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.cost.LlmBudget;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.cost.ModelPrice;
import io.llmmonitor.metrics.LlmHistogramBuckets;
import io.llmmonitor.quality.RefusalDetector;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration of llm-monitor, prefix {@code llm.monitor}. Validated at startup: a bad value
 * fails the start with a message naming the property, and so does a name under
 * {@code llm.monitor} that is none of these properties ({@code ignoreUnknownFields = false},
 * explained by {@link LlmMonitorPropertiesFailureAnalyzer}).
 */
@ConfigurationProperties(prefix = "llm.monitor", ignoreUnknownFields = false)
public class LlmMonitorProperties implements Validator {

	static final int MAX_TAG_VALUES_LIMIT = 100_000;

	/**
	 * Whether LLM monitoring is on. When false, no bean of llm-monitor is created and annotated
	 * methods run untouched.
	 */
	private boolean enabled = true;

	/**
	 * A call that takes longer than this is slow: it gets a span event, a count in
	 * llm_slow_requests_total{reason="latency"} and one WARN log line.
	 */
	private Duration slowRequestThreshold = Duration.ofSeconds(5);

	/**
	 * A stream that generates fewer output tokens per second than this (after the first token) is
	 * slow: llm_slow_requests_total{reason="token_rate"}. 0 turns the check off.
	 */
	private double slowTokenRateThreshold = 10;

	/**
	 * Most distinct model names in metric tags. A name takes a place with its first successful
	 * call; up to 10 more names seen only in calls that did not succeed keep their name too.
	 * Further models are tagged model="other" (spans keep the real name) and one warning is
	 * logged. Between 1 and 100000.
	 */
	private int maxModels = 100;

	/**
	 * Most distinct provider names in metric tags, counted as max-models counts models. Further
	 * providers are tagged provider="other" (spans keep the real name) and one warning is logged.
	 * Between 1 and 100000.
	 */
	private int maxProviders = 20;

	/**
	 * Most distinct operation names in metric tags, counted as max-models counts models. Further
	 * operations are tagged operation="other" (spans keep the real name) and one warning is
	 * logged. Between 1 and 100000.
	 */
	private int maxOperations = 20;

	/**
	 * Most distinct @MonitoredEndpoint names in metric tags, counted as max-models counts models.
	 * Further endpoints are tagged endpoint="other" (spans keep the real name) and one warning is
	 * logged. Between 1 and 100000.
	 */
	private int maxEndpoints = 100;

	/**
	 * Most distinct error types (exception class names) in metric tags: the first ones seen are
	 * kept, further ones are tagged error_type="other" (spans keep the real type) and one warning
	 * is logged. Between 1 and 100000.
	 */
	private int maxErrorTypes = 50;

	/**
	 * Prices in USD per million tokens by model name (input, output and, optionally,
	 * cached-input), for llm_cost_usd_total and the span attribute llm.cost.usd. A snapshot name
	 * (gpt-4o-2024-08-06) takes the price of its base name (gpt-4o). Put names holding dots in
	 * brackets: "[gpt-3.5-turbo]".
	 */
	private Map<String, Price> pricing = new LinkedHashMap<>();

	private final Budget budget = new Budget();

	private final TokenEvents tokenEvents = new TokenEvents();

	private final CallLog callLog = new CallLog();

	private final SpringAi springAi = new SpringAi();

	private final Health health = new Health();

	private final Gpu gpu = new Gpu();

	private final CaptureContent captureContent = new CaptureContent();

	private final Tokenizer tokenizer = new Tokenizer();

	private final Histogram histogram = new Histogram();

	private final Metrics metrics = new Metrics();

	private final LangChain4j langchain4j = new LangChain4j();

	private final Aop aop = new Aop();

	private final Quality quality = new Quality();

	private final Feedback feedback = new Feedback();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getSlowRequestThreshold() {
		return this.slowRequestThreshold;
	}

	public void setSlowRequestThreshold(Duration slowRequestThreshold) {
		this.slowRequestThreshold = slowRequestThreshold;
	}

	public double getSlowTokenRateThreshold() {
		return this.slowTokenRateThreshold;
	}

	public void setSlowTokenRateThreshold(double slowTokenRateThreshold) {
		this.slowTokenRateThreshold = slowTokenRateThreshold;
	}

	public int getMaxModels() {
		return this.maxModels;
	}

	public void setMaxModels(int maxModels) {
		this.maxModels = maxModels;
	}

	public int getMaxProviders() {
		return this.maxProviders;
	}

	public void setMaxProviders(int maxProviders) {
		this.maxProviders = maxProviders;
	}

	public int getMaxOperations() {
		return this.maxOperations;
	}

	public void setMaxOperations(int maxOperations) {
		this.maxOperations = maxOperations;
	}

	public int getMaxEndpoints() {
		return this.maxEndpoints;
	}

	public void setMaxEndpoints(int maxEndpoints) {
		this.maxEndpoints = maxEndpoints;
	}

	public int getMaxErrorTypes() {
		return this.maxErrorTypes;
	}

	public void setMaxErrorTypes(int maxErrorTypes) {
		this.maxErrorTypes = maxErrorTypes;
	}

	public Map<String, Price> getPricing() {
		return this.pricing;
	}

	public void setPricing(Map<String, Price> pricing) {
		this.pricing = pricing;
	}

	/** The price table of {@link #getPricing()}. */
	public LlmPriceTable toPriceTable() {
		Map<String, ModelPrice> prices = new LinkedHashMap<>();
		this.pricing.forEach((model, price) -> prices.put(model,
				new ModelPrice(price.input, price.output, price.cachedInput)));
		return LlmPriceTable.of(prices);
	}

	public Budget getBudget() {
		return this.budget;
	}

	public Gpu getGpu() {
		return this.gpu;
	}

	public Health getHealth() {
		return this.health;
	}

	public SpringAi getSpringAi() {
		return this.springAi;
	}

	public CallLog getCallLog() {
		return this.callLog;
	}

	public TokenEvents getTokenEvents() {
		return this.tokenEvents;
	}

	public CaptureContent getCaptureContent() {
		return this.captureContent;
	}

	public Tokenizer getTokenizer() {
		return this.tokenizer;
	}

	public Aop getAop() {
		return this.aop;
	}

	public Histogram getHistogram() {
		return this.histogram;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public LangChain4j getLangchain4j() {
		return this.langchain4j;
	}

	public Quality getQuality() {
		return this.quality;
	}

	public Feedback getFeedback() {
		return this.feedback;
	}

	/** The monitor settings these properties describe. */
	public LlmMonitorSettings toSettings() {
		return LlmMonitorSettings.builder()
			.slowRequestThreshold(this.slowRequestThreshold)
			.slowTokenRateThreshold(this.slowTokenRateThreshold)
			.tokenEventsEnabled(this.tokenEvents.isEnabled())
			.maxTokenEventsPerCall(this.tokenEvents.getMaxPerCall())
			.maxModels(this.maxModels)
			.contentCapture(this.captureContent.isEnabled() ? new ContentCapture(true,
					this.captureContent.getMaxLength(), this.captureContent.getRedactPatterns()) : ContentCapture.DISABLED)
			.tagLimits(new LlmMonitorSettings.TagLimits(this.maxProviders, this.maxOperations, this.maxErrorTypes))
			.build();
	}

	@Override
	public boolean supports(Class<?> type) {
		return LlmMonitorProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		LlmMonitorProperties properties = (LlmMonitorProperties) target;
		if (properties.slowRequestThreshold == null || properties.slowRequestThreshold.isNegative()
				|| properties.slowRequestThreshold.isZero()) {
			errors.rejectValue("slowRequestThreshold", "llm.monitor.positive", "must be a duration greater than 0");
		}
		if (!Double.isFinite(properties.slowTokenRateThreshold) || properties.slowTokenRateThreshold < 0) {
			errors.rejectValue("slowTokenRateThreshold", "llm.monitor.non-negative",
					"must be a number of tokens per second, 0 or more");
		}
		validateTagLimit(errors, "maxModels", properties.maxModels);
		validateTagLimit(errors, "maxProviders", properties.maxProviders);
		validateTagLimit(errors, "maxOperations", properties.maxOperations);
		validateTagLimit(errors, "maxEndpoints", properties.maxEndpoints);
		validateTagLimit(errors, "maxErrorTypes", properties.maxErrorTypes);
		int maxPerCall = properties.tokenEvents.maxPerCall;
		if (maxPerCall < 1 || maxPerCall > TokenEvents.MAX_PER_CALL_LIMIT) {
			errors.rejectValue("tokenEvents.maxPerCall", "llm.monitor.range",
					"must be between 1 and " + TokenEvents.MAX_PER_CALL_LIMIT);
		}
		if (properties.tokenizer.defaultEncoding == null) {
			errors.rejectValue("tokenizer.defaultEncoding", "llm.monitor.required", "must name an encoding");
		}
		properties.histogram.validate(errors);
		properties.captureContent.validate(errors);
		properties.quality.validate(errors);
		properties.feedback.validate(errors);
		if (properties.gpu.interval == null || properties.gpu.interval.compareTo(Duration.ofSeconds(1)) < 0) {
			errors.rejectValue("gpu.interval", "llm.monitor.range", "must be a duration of 1s or more");
		}
		int failureThreshold = properties.health.failureThreshold;
		if (failureThreshold < 1 || failureThreshold > Health.MAX_FAILURE_THRESHOLD) {
			errors.rejectValue("health.failureThreshold", "llm.monitor.range",
					"must be between 1 and " + Health.MAX_FAILURE_THRESHOLD);
		}
		Duration healthWindow = properties.health.window;
		if (healthWindow == null || healthWindow.isNegative() || healthWindow.isZero()) {
			errors.rejectValue("health.window", "llm.monitor.positive", "must be a duration greater than 0");
		}
		properties.pricing.forEach((model, price) -> price.validate(errors, "pricing[" + model + "]"));
		properties.budget.validate(errors);
	}

	private static void validateTagLimit(Errors errors, String field, int limit) {
		if (limit < 1 || limit > MAX_TAG_VALUES_LIMIT) {
			errors.rejectValue(field, "llm.monitor.range", "must be between 1 and " + MAX_TAG_VALUES_LIMIT);
		}
	}

	/**
	 * The price of one model.
	 */
	public static class Price {

		/**
		 * USD per million input (prompt) tokens.
		 */
		private double input;

		/**
		 * USD per million output (completion) tokens, reasoning tokens included.
		 */
		private double output;

		/**
		 * USD per million input tokens read from the provider's prompt cache. Unset: cached
		 * tokens cost the input price.
		 */
		private @Nullable Double cachedInput;

		public double getInput() {
			return this.input;
		}

		public void setInput(double input) {
			this.input = input;
		}

		public double getOutput() {
			return this.output;
		}

		public void setOutput(double output) {
			this.output = output;
		}

		public @Nullable Double getCachedInput() {
			return this.cachedInput;
		}

		public void setCachedInput(@Nullable Double cachedInput) {
			this.cachedInput = cachedInput;
		}

		void validate(Errors errors, String path) {
			if (!Double.isFinite(this.input) || this.input < 0) {
				errors.rejectValue(path + ".input", "llm.monitor.price", "must be USD per million tokens, 0 or more");
			}
			if (!Double.isFinite(this.output) || this.output < 0) {
				errors.rejectValue(path + ".output", "llm.monitor.price", "must be USD per million tokens, 0 or more");
			}
			if (this.cachedInput != null && (!Double.isFinite(this.cachedInput) || this.cachedInput < 0)) {
				errors.rejectValue(path + ".cachedInput", "llm.monitor.price",
						"must be USD per million tokens, 0 or more");
			}
		}

	}

	/**
	 * Spend budgets in USD, exported as the gauge llm_budget_usd{period, model} so that the
	 * shipped rules compare spend (llm_cost_usd_total, from llm.monitor.pricing) with them and
	 * alert at 80% and 100%. A period is the last 24 hours or the last 30 days, rolling.
	 */
	public static class Budget {

		/**
		 * USD the application may spend in a day (the last 24 hours), all models together.
		 * Unset: no daily budget.
		 */
		private @Nullable Double dailyUsd;

		/**
		 * USD the application may spend in a month (the last 30 days), all models together.
		 * Unset: no monthly budget.
		 */
		private @Nullable Double monthlyUsd;

		/**
		 * Budgets of single models by model name (as in the model tag), each with daily-usd
		 * and/or monthly-usd. Put names holding dots in brackets: "[gpt-3.5-turbo]".
		 */
		private Map<String, ModelBudget> models = new LinkedHashMap<>();

		public @Nullable Double getDailyUsd() {
			return this.dailyUsd;
		}

		public void setDailyUsd(@Nullable Double dailyUsd) {
			this.dailyUsd = dailyUsd;
		}

		public @Nullable Double getMonthlyUsd() {
			return this.monthlyUsd;
		}

		public void setMonthlyUsd(@Nullable Double monthlyUsd) {
			this.monthlyUsd = monthlyUsd;
		}

		public Map<String, ModelBudget> getModels() {
			return this.models;
		}

		public void setModels(Map<String, ModelBudget> models) {
			this.models = models;
		}

		/** The budgets these properties set, all models first. */
		public List<LlmBudget> toBudgets() {
			List<LlmBudget> budgets = new ArrayList<>();
			add(budgets, LlmBudget.ALL_MODELS, this.dailyUsd, this.monthlyUsd);
			this.models.forEach((model, budget) -> add(budgets, model, budget.dailyUsd, budget.monthlyUsd));
			return budgets;
		}

		private static void add(List<LlmBudget> budgets, String model, @Nullable Double dailyUsd,
				@Nullable Double monthlyUsd) {
			if (dailyUsd != null) {
				budgets.add(new LlmBudget(LlmBudget.Period.DAY, model, dailyUsd));
			}
			if (monthlyUsd != null) {
				budgets.add(new LlmBudget(LlmBudget.Period.MONTH, model, monthlyUsd));
			}
		}

		void validate(Errors errors) {
			validateUsd(errors, "budget.dailyUsd", this.dailyUsd);
			validateUsd(errors, "budget.monthlyUsd", this.monthlyUsd);
			this.models.forEach((model, budget) -> {
				String path = "budget.models[" + model + "]";
				validateUsd(errors, path + ".dailyUsd", budget.dailyUsd);
				validateUsd(errors, path + ".monthlyUsd", budget.monthlyUsd);
			});
		}

		private static void validateUsd(Errors errors, String field, @Nullable Double usd) {
			if (usd != null && !(Double.isFinite(usd) && usd > 0)) {
				errors.rejectValue(field, "llm.monitor.budget", "must be USD greater than 0");
			}
		}

	}

	/**
	 * The budget of one model.
	 */
	public static class ModelBudget {

		/**
		 * USD this model may cost in a day (the last 24 hours). Unset: no daily budget.
		 */
		private @Nullable Double dailyUsd;

		/**
		 * USD this model may cost in a month (the last 30 days). Unset: no monthly budget.
		 */
		private @Nullable Double monthlyUsd;

		public @Nullable Double getDailyUsd() {
			return this.dailyUsd;
		}

		public void setDailyUsd(@Nullable Double dailyUsd) {
			this.dailyUsd = dailyUsd;
		}

		public @Nullable Double getMonthlyUsd() {
			return this.monthlyUsd;
		}

		public void setMonthlyUsd(@Nullable Double monthlyUsd) {
			this.monthlyUsd = monthlyUsd;
		}

	}

	/**
	 * GPU metrics of the host, read with nvidia-smi.
	 */
	public static class Gpu {

		/**
		 * Whether GPU metrics (llm_gpu_utilization_ratio, llm_gpu_memory_used_bytes, ...) are
		 * published when the nvidia-smi command exists.
		 */
		private boolean enabled = true;

		/**
		 * The nvidia-smi executable: a name looked up on the PATH, or a path. Without it, no GPU
		 * metrics.
		 */
		private String command = "nvidia-smi";

		/**
		 * Time between two reads of the GPUs (1s or more).
		 */
		private Duration interval = Duration.ofSeconds(15);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getCommand() {
			return this.command;
		}

		public void setCommand(String command) {
			this.command = command;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	/**
	 * The llm health contributor (management.health.llm.enabled turns it off).
	 */
	public static class Health {

		static final int MAX_FAILURE_THRESHOLD = 1_000;

		/**
		 * Consecutive failed calls after which a model counts as failing; the health is DOWN when
		 * every model called within the window is failing. Between 1 and 1000.
		 */
		private int failureThreshold = 5;

		/**
		 * How long a model's calls speak for its health: a model whose last call ended longer
		 * ago is ignored, so an old success does not keep the health UP while the model in use
		 * fails. Without any call in the window the health is UP. Greater than 0.
		 */
		private Duration window = Duration.ofMinutes(5);

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * Spring AI chat models.
	 */
	public static class SpringAi {

		/**
		 * Whether Spring AI is monitored without annotations (TTFT and tokens/s on streams):
		 * calls of every ChatClient built from the auto-configured builder, and the call and
		 * stream methods of every ChatModel bean of a non-final class (through Spring AOP
		 * auto-proxying, which Spring Boot turns on).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * LangChain4j chat models.
	 */
	public static class LangChain4j {

		/**
		 * Whether every LangChain4j ChatModel and StreamingChatModel bean is monitored without
		 * annotations (TTFT and tokens/s on streams), AI services included through the models
		 * they use.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Metrics besides the llm_* ones.
	 */
	public static class Metrics {

		private final Semconv semconv = new Semconv();

		public Semconv getSemconv() {
			return this.semconv;
		}

	}

	/**
	 * The client metrics of the OpenTelemetry GenAI semantic conventions.
	 */
	public static class Semconv {

		/**
		 * Whether the client metrics of the OpenTelemetry GenAI semantic conventions
		 * (gen_ai.client.operation.duration, gen_ai.client.token.usage,
		 * gen_ai.client.operation.time_to_first_chunk,
		 * gen_ai.client.operation.time_per_output_chunk) are recorded too, with their units and
		 * bucket boundaries, for OTLP export; the llm_* metrics stay as they are.
		 */
		private boolean enabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * One log line per call.
	 */
	public static class CallLog {

		/**
		 * Whether each finished call is logged at INFO on the logger io.llmmonitor.calls: model,
		 * status, duration, TTFT, tokens/s, tokens, cost, trace and span id (logfmt message, and
		 * key-value pairs for structured logging). Never any prompt or completion text.
		 */
		private boolean enabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Per-token span events.
	 */
	public static class TokenEvents {

		static final int MAX_PER_CALL_LIMIT = 10_000;

		/**
		 * Whether each chunk carrying generated content becomes a span event. Off by default:
		 * spans of long generations grow large.
		 */
		private boolean enabled = false;

		/**
		 * Most per-token events on one span; later chunks are not recorded as events. Between 1
		 * and 10000.
		 */
		private int maxPerCall = 100;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxPerCall() {
			return this.maxPerCall;
		}

		public void setMaxPerCall(int maxPerCall) {
			this.maxPerCall = maxPerCall;
		}

	}

	/**
	 * Opt-in capture of prompt and completion text into spans.
	 */
	public static class CaptureContent {

		/**
		 * Whether completions (and prompts given through the programmatic API) go to spans as
		 * gen_ai.output.messages and gen_ai.input.messages. Off by default: no content reaches
		 * metrics, spans or logs. API keys, bearer tokens, Authorization and Basic credentials, and
		 * the values of password, secret, token and api-key keys (bare, quoted or JSON) are always
		 * redacted.
		 */
		private boolean enabled = false;

		/**
		 * Most characters kept of each captured text, after redaction.
		 */
		private int maxLength = 4096;

		/**
		 * Regular expressions whose matches are replaced by [REDACTED] in captured text, besides
		 * the built-in API key and token patterns.
		 */
		private List<String> redactPatterns = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(int maxLength) {
			this.maxLength = maxLength;
		}

		public List<String> getRedactPatterns() {
			return this.redactPatterns;
		}

		public void setRedactPatterns(List<String> redactPatterns) {
			this.redactPatterns = redactPatterns;
		}

		void validate(Errors errors) {
			if (this.maxLength < 1) {
				errors.rejectValue("captureContent.maxLength", "llm.monitor.range", "must be 1 or more");
			}
			for (String pattern : this.redactPatterns) {
				try {
					java.util.regex.Pattern.compile(pattern);
				}
				catch (java.util.regex.PatternSyntaxException ex) {
					errors.rejectValue("captureContent.redactPatterns", "llm.monitor.pattern",
							"'" + pattern + "' is not a regular expression: " + ex.getDescription());
				}
			}
		}

	}

	/**
	 * Counting of output tokens when the provider reports no usage.
	 */
	public static class Tokenizer {

		/**
		 * BPE encoding for models the tokenizer does not know by name (known OpenAI models use
		 * their own). Counts made this way are estimates.
		 */
		private EncodingType defaultEncoding = EncodingType.CL100K_BASE;

		public EncodingType getDefaultEncoding() {
			return this.defaultEncoding;
		}

		public void setDefaultEncoding(EncodingType defaultEncoding) {
			this.defaultEncoding = defaultEncoding;
		}

	}

	/**
	 * The aspect behind {@code @MonitoredLlmCall} and {@code @MonitoredEndpoint}.
	 */
	public static class Aop {

		/**
		 * Order of the aspect behind @MonitoredLlmCall and @MonitoredEndpoint among the other
		 * advice of a bean (lower runs first, further out). The default, the lowest precedence,
		 * runs it closest to the method: inside @Cacheable, so that a cache hit is no LLM call,
		 * and inside @Retryable, so that each attempt is one call.
		 */
		private int order = Ordered.LOWEST_PRECEDENCE;

		public int getOrder() {
			return this.order;
		}

		public void setOrder(int order) {
			this.order = order;
		}

	}

	/**
	 * Histogram bucket boundaries. Defaults follow the OpenTelemetry GenAI semantic conventions
	 * and vLLM.
	 */
	public static class Histogram {

		/**
		 * Bucket boundaries of llm_request_duration_seconds and llm_endpoint_duration_seconds.
		 */
		private List<Duration> requestDuration = new ArrayList<>(LlmHistogramBuckets.DEFAULTS.requestDuration());

		/**
		 * Bucket boundaries of llm_time_to_first_token_seconds.
		 */
		private List<Duration> timeToFirstToken = new ArrayList<>(LlmHistogramBuckets.DEFAULTS.timeToFirstToken());

		/**
		 * Bucket boundaries of llm_time_per_output_token_seconds.
		 */
		private List<Duration> timePerOutputToken = new ArrayList<>(
				LlmHistogramBuckets.DEFAULTS.timePerOutputToken());

		/**
		 * Bucket boundaries of llm_token_generation_rate, in tokens per second. None by default:
		 * a summary, whose quantiles are those of llm_time_per_output_token_seconds inverted.
		 */
		private List<Double> tokenGenerationRate = new ArrayList<>(
				LlmHistogramBuckets.DEFAULTS.tokenGenerationRate());

		public List<Duration> getRequestDuration() {
			return this.requestDuration;
		}

		public void setRequestDuration(List<Duration> requestDuration) {
			this.requestDuration = requestDuration;
		}

		public List<Duration> getTimeToFirstToken() {
			return this.timeToFirstToken;
		}

		public void setTimeToFirstToken(List<Duration> timeToFirstToken) {
			this.timeToFirstToken = timeToFirstToken;
		}

		public List<Duration> getTimePerOutputToken() {
			return this.timePerOutputToken;
		}

		public void setTimePerOutputToken(List<Duration> timePerOutputToken) {
			this.timePerOutputToken = timePerOutputToken;
		}

		public List<Double> getTokenGenerationRate() {
			return this.tokenGenerationRate;
		}

		public void setTokenGenerationRate(List<Double> tokenGenerationRate) {
			this.tokenGenerationRate = tokenGenerationRate;
		}

		/** The buckets these properties describe. */
		public LlmHistogramBuckets toBuckets() {
			return new LlmHistogramBuckets(this.requestDuration, this.timeToFirstToken, this.timePerOutputToken,
					this.tokenGenerationRate);
		}

		void validate(Errors errors) {
			validateDurations(errors, "histogram.requestDuration", this.requestDuration);
			validateDurations(errors, "histogram.timeToFirstToken", this.timeToFirstToken);
			validateDurations(errors, "histogram.timePerOutputToken", this.timePerOutputToken);
			if (this.tokenGenerationRate == null
					|| this.tokenGenerationRate.stream().anyMatch((value) -> value == null || !(value > 0) || value.isInfinite())) {
				errors.rejectValue("histogram.tokenGenerationRate", "llm.monitor.buckets",
						"must list bucket boundaries (none for a summary), each a finite number greater than 0");
			}
		}

		private static void validateDurations(Errors errors, String field, List<Duration> buckets) {
			if (buckets == null || buckets.isEmpty()
					|| buckets.stream().anyMatch((value) -> value == null || value.isNegative() || value.isZero())) {
				errors.rejectValue(field, "llm.monitor.buckets",
						"must list one or more bucket boundaries, each a duration greater than 0");
			}
		}

	}

	/**
	 * Opt-in analyses of answers: refusals and repetition. Finish reasons and empty answers are
	 * always counted.
	 */
	public static class Quality {

		static final int MAX_NGRAM_SIZE = 10;

		static final int MAX_QUEUE_CAPACITY = 100_000;

		/**
		 * Whether answers are analysed for refusals (llm_refusals_total) and repetition
		 * (llm_response_repetition_ratio), on a background thread. Reads the captured completion,
		 * so it needs llm.monitor.capture-content.enabled=true and reads at most its max-length;
		 * calls without captured text are not analysed. No answer text becomes a tag.
		 */
		private boolean enabled = false;

		/**
		 * Regular expressions of refusals, matched case insensitively within the first 500
		 * characters of an answer. By default English phrases such as "I can't help with",
		 * "I cannot assist", "I'm unable to help", "As an AI" and "I must decline".
		 */
		private List<String> refusalPatterns = new ArrayList<>(RefusalDetector.DEFAULT_PATTERNS);

		/**
		 * Words per n-gram of the repetition score: the share of an answer's n-grams that occurred
		 * earlier in it. Between 1 and 10.
		 */
		private int repetitionNgramSize = 3;

		/**
		 * Most answers waiting for analysis; when the queue is full, further answers are not
		 * analysed (llm_quality_analyses_dropped_total) and the call is never held up. Bounds the
		 * text held to this many captured completions. Between 1 and 100000.
		 */
		private int queueCapacity = 256;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getRefusalPatterns() {
			return this.refusalPatterns;
		}

		public void setRefusalPatterns(List<String> refusalPatterns) {
			this.refusalPatterns = refusalPatterns;
		}

		public int getRepetitionNgramSize() {
			return this.repetitionNgramSize;
		}

		public void setRepetitionNgramSize(int repetitionNgramSize) {
			this.repetitionNgramSize = repetitionNgramSize;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		void validate(Errors errors) {
			for (String pattern : this.refusalPatterns) {
				try {
					RefusalDetector.compile(pattern);
				}
				catch (IllegalArgumentException ex) {
					errors.rejectValue("quality.refusalPatterns", "llm.monitor.pattern",
							Objects.requireNonNullElse(ex.getMessage(), ex.toString()));
				}
			}
			if (this.repetitionNgramSize < 1 || this.repetitionNgramSize > MAX_NGRAM_SIZE) {
				errors.rejectValue("quality.repetitionNgramSize", "llm.monitor.range",
						"must be between 1 and " + MAX_NGRAM_SIZE);
			}
			if (this.queueCapacity < 1 || this.queueCapacity > MAX_QUEUE_CAPACITY) {
				errors.rejectValue("quality.queueCapacity", "llm.monitor.range",
						"must be between 1 and " + MAX_QUEUE_CAPACITY);
			}
		}

	}

	/**
	 * Feedback of users on answers (LlmFeedback).
	 */
	public static class Feedback {

		/**
		 * Whether the LlmFeedback bean records scores of calls (llm_feedback_score and, with
		 * tracing, a span "llm feedback" linked to the call's span).
		 */
		private boolean enabled = true;

		private final RecentCalls recentCalls = new RecentCalls();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public RecentCalls getRecentCalls() {
			return this.recentCalls;
		}

		void validate(Errors errors) {
			int maxSize = this.recentCalls.maxSize;
			if (maxSize < 0 || maxSize > RecentCalls.MAX_SIZE_LIMIT) {
				errors.rejectValue("feedback.recentCalls.maxSize", "llm.monitor.range",
						"must be between 0 and " + RecentCalls.MAX_SIZE_LIMIT);
			}
			Duration timeToLive = this.recentCalls.timeToLive;
			if (timeToLive == null || timeToLive.isNegative() || timeToLive.isZero()) {
				errors.rejectValue("feedback.recentCalls.timeToLive", "llm.monitor.positive",
						"must be a duration greater than 0");
			}
		}

	}

	/**
	 * The recent calls by trace id that feedback given by trace id finds its call's model and
	 * span in; needs tracing.
	 */
	public static class RecentCalls {

		static final int MAX_SIZE_LIMIT = 1_000_000;

		/**
		 * Most calls remembered (about 200 bytes each); the oldest is forgotten first. Feedback for
		 * a trace no longer remembered is recorded with model "unknown" and no span link. 0
		 * remembers none. Between 0 and 1000000.
		 */
		private int maxSize = 10_000;

		/**
		 * How long a call is remembered after it ended.
		 */
		private Duration timeToLive = Duration.ofHours(1);

		public int getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(int maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

	}

}
