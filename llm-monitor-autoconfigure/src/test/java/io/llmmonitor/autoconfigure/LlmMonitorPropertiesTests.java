package io.llmmonitor.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.cost.LlmBudget;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.cost.ModelPrice;
import io.llmmonitor.metrics.LlmHistogramBuckets;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.EndpointContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Binding and startup validation of {@code llm.monitor.*}.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmMonitorPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class));

	@Test
	void bindsEveryProperty() {
		this.runner
			.withPropertyValues("llm.monitor.slow-request-threshold=2s", "llm.monitor.slow-token-rate-threshold=25.5",
					"llm.monitor.token-events.enabled=true", "llm.monitor.token-events.max-per-call=7",
					"llm.monitor.tokenizer.default-encoding=o200k_base",
					"llm.monitor.histogram.time-to-first-token=50ms,1s", "llm.monitor.histogram.token-generation-rate=5,50")
			.run((context) -> {
				LlmMonitorProperties properties = context.getBean(LlmMonitorProperties.class);
				assertThat(properties.getSlowRequestThreshold()).isEqualTo(Duration.ofSeconds(2));
				assertThat(properties.getSlowTokenRateThreshold()).isEqualTo(25.5);
				assertThat(properties.getTokenEvents().isEnabled()).isTrue();
				assertThat(properties.getTokenEvents().getMaxPerCall()).isEqualTo(7);
				assertThat(properties.getTokenizer().getDefaultEncoding()).isEqualTo(EncodingType.O200K_BASE);
				assertThat(properties.getHistogram().getTimeToFirstToken()).containsExactly(Duration.ofMillis(50),
						Duration.ofSeconds(1));
				assertThat(properties.getHistogram().getTokenGenerationRate()).containsExactly(5.0, 50.0);
			});
	}

	@Test
	void tagLimitsReachTheMonitors() {
		List<String> tags = new ArrayList<>();
		this.runner
			.withPropertyValues("llm.monitor.max-providers=1", "llm.monitor.max-operations=2",
					"llm.monitor.max-error-types=3", "llm.monitor.max-endpoints=1")
			.withBean(ObservationHandler.class, () -> new ObservationHandler<>() {
				@Override
				public void onStop(Observation.Context context) {
					tags.add(context.getLowCardinalityKeyValue(context instanceof EndpointContext ? "endpoint" : "provider")
						.getValue());
				}

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}
			})
			.run((context) -> {
				assertThat(context.getBean(LlmMonitorProperties.class).toSettings().tagLimits())
					.isEqualTo(new LlmMonitorSettings.TagLimits(1, 2, 3));
				LlmMonitor monitor = context.getBean(LlmMonitor.class);
				monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "answer");
				monitor.call(LlmCallSpec.chat("gpt-4o", "azure"), () -> "answer");
				EndpointMonitor endpoints = context.getBean(EndpointMonitor.class);
				endpoints.starter("chat").start(null).end(CallStatus.SUCCESS, null);
				endpoints.starter("summarize").start(null).end(CallStatus.SUCCESS, null);
				assertThat(tags).containsExactly("openai", "other", "chat", "other");
			});
	}

	@Test
	void bindsPricesByModelNameDotsInBrackets() {
		this.runner
			.withPropertyValues("llm.monitor.pricing.gpt-4o.input=2.5", "llm.monitor.pricing.gpt-4o.output=10",
					"llm.monitor.pricing.[gpt-3.5-turbo].input=0.5", "llm.monitor.pricing.[gpt-3.5-turbo].output=1.5")
			.run((context) -> {
				LlmPriceTable prices = context.getBean(LlmPriceTable.class);
				assertThat(prices.priceOf("gpt-4o")).isEqualTo(new ModelPrice(2.5, 10));
				assertThat(prices.priceOf("gpt-3.5-turbo-0125")).isEqualTo(new ModelPrice(0.5, 1.5));
			});
	}

	@Test
	void bindsACachedInputPrice() {
		this.runner
			.withPropertyValues("llm.monitor.pricing.o4-mini.input=1.10", "llm.monitor.pricing.o4-mini.output=4.40",
					"llm.monitor.pricing.o4-mini.cached-input=0.275")
			.run((context) -> assertThat(context.getBean(LlmPriceTable.class).priceOf("o4-mini"))
				.isEqualTo(new ModelPrice(1.10, 4.40, 0.275)));
	}

	@Test
	void aModelNameWithDotsOutsideBracketsFailsStartupSayingSo() {
		this.runner.withPropertyValues("llm.monitor.pricing.llama-3.1-8b.input=0.18")
			.run((context) -> assertThat(failureAnalysis(context).getDescription())
				.contains("llm.monitor.pricing.llama-3.1-8b.input")
				.contains("in brackets"));
		// the same name in brackets binds
		this.runner.withPropertyValues("llm.monitor.pricing.[llama-3.1-8b].input=0.18")
			.run((context) -> assertThat(context.getBean(LlmPriceTable.class).priceOf("llama-3.1-8b"))
				.isEqualTo(new ModelPrice(0.18, 0)));
	}

	@Test
	void bindsBudgetsOfAllModelsAndOfSingleModels() {
		this.runner
			.withPropertyValues("llm.monitor.budget.daily-usd=50", "llm.monitor.budget.monthly-usd=1000",
					"llm.monitor.budget.models.gpt-4o.daily-usd=20", "llm.monitor.budget.models.[gpt-3.5-turbo].monthly-usd=5.5")
			.run((context) -> assertThat(context.getBean(LlmMonitorProperties.class).getBudget().toBudgets())
				.containsExactly(new LlmBudget(LlmBudget.Period.DAY, "*", 50),
						new LlmBudget(LlmBudget.Period.MONTH, "*", 1000),
						new LlmBudget(LlmBudget.Period.DAY, "gpt-4o", 20),
						new LlmBudget(LlmBudget.Period.MONTH, "gpt-3.5-turbo", 5.5)));
	}

	@Test
	void withoutBudgetPropertiesThereIsNoBudget() {
		this.runner.run((context) -> assertThat(context.getBean(LlmMonitorProperties.class).getBudget().toBudgets())
			.isEmpty());
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', value = {
			"llm.monitor.slow-request-treshold=2s|llm.monitor.slow-request-treshold|did you mean 'llm.monitor.slow-request-threshold'?",
			"llm.monitor.call-log.enable=true|llm.monitor.call-log.enable|did you mean 'llm.monitor.call-log.enabled'?",
			"llm.monitor.priceing.gpt-4o.input=2.5|llm.monitor.priceing.gpt-4o.input|did you mean 'llm.monitor.pricing.gpt-4o.input'?",
			// a relaxed name is named in Spring Boot's uniform form, lower case without dashes
			"llm.monitor.slowRequestTreshold=2s|llm.monitor.slowrequesttreshold|did you mean 'llm.monitor.slow-request-threshold'?",
			"llm.monitor.call_log.enable=true|llm.monitor.calllog.enable|did you mean 'llm.monitor.call-log.enabled'?",
			"llm.monitor.pricing.gpt-4o.inptu=2.5|llm.monitor.pricing.gpt-4o.inptu|input and output, and optionally cached-input",
			"llm.monitor.budget.models.gpt-4o.dayly-usd=20|llm.monitor.budget.models.gpt-4o.dayly-usd|daily-usd and monthly-usd",
			"llm.monitor.budget.models.llama-3.1-8b.daily-usd=20|llm.monitor.budget.models.llama-3.1-8b.daily-usd|must be written in brackets",
			"llm.monitor.budget.dayly-usd=20|llm.monitor.budget.dayly-usd|did you mean 'llm.monitor.budget.daily-usd'?" })
	void aMisspeltPropertyFailsStartupNamingItAndWhy(String property, String name, String reason) {
		this.runner.withPropertyValues(property)
			.run((context) -> assertThat(failureAnalysis(context).getDescription())
				.contains(String.format("Property: %s%n", name))
				.contains(reason));
	}

	@Test
	void anUnknownPropertyFailsStartupListingEveryOther() {
		this.runner.withPropertyValues("llm.monitor.exporter.url=http://x", "llm.monitor.gpu.polling=5s")
			.run((context) -> assertThat(failureAnalysis(context).getDescription())
				.contains("llm.monitor.exporter.url")
				.contains("no such property; see the property table in docs/reference.md#properties")
				.contains("llm.monitor.gpu.polling"));
	}

	@Test
	void anUnknownPropertyFailsTheContextThroughSpringBootsBinding() {
		this.runner.withPropertyValues("llm.monitor.slow-request-treshold=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("prefix=llm.monitor, ignoreInvalidFields=false, ignoreUnknownFields=false")
				.rootCause()
				.isInstanceOf(UnboundConfigurationPropertiesException.class)
				.hasMessageContaining("llm.monitor.slow-request-treshold"));
	}

	@Test
	void theFailureAnalysisGivesEachPropertyItsOriginAndReason() {
		this.runner.withPropertyValues("llm.monitor.gpu.polling=5s", "llm.monitor.slow-request-treshold=2s")
			.run((context) -> {
				FailureAnalysis analysis = failureAnalysis(context);
				assertThat(analysis.getDescription()).isEqualTo(String.format(
						"Properties under 'llm.monitor' bind to nothing: llm-monitor would ignore them.%n%n"
								+ "    Property: llm.monitor.gpu.polling%n    Value: \"5s\"%n"
								+ "    Origin: \"llm.monitor.gpu.polling\" from property source \"test\"%n"
								+ "    Reason: llm-monitor has no such property; see the property table in docs/reference.md#properties%n%n"
								+ "    Property: llm.monitor.slow-request-treshold%n    Value: \"2s\"%n"
								+ "    Origin: \"llm.monitor.slow-request-treshold\" from property source \"test\"%n"
								+ "    Reason: llm-monitor has no such property; did you mean 'llm.monitor.slow-request-threshold'?%n"));
				assertThat(analysis.getAction())
					.isEqualTo("Correct the names of these properties in your application's configuration, or remove them.");
				assertThat(analysis.getCause()).isInstanceOf(UnboundConfigurationPropertiesException.class);
			});
	}

	@Test
	void theAnalyzerLeavesOtherPropertiesToSpringBoot() {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("other.typo", "1")));
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> binder.bind("other", Bindable.of(OtherProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT)))
			.satisfies((failure) -> {
				assertThat(failure).hasCauseInstanceOf(UnboundConfigurationPropertiesException.class);
				assertThat(new LlmMonitorPropertiesFailureAnalyzer().analyze(failure)).isNull();
			});
	}

	@Test
	void theAnalyzerComesBeforeSpringBootsWhateverTheClassPathOrder() throws ClassNotFoundException {
		// unordered analyzers keep the order of the class path, where Spring Boot's may come first
		Object springBoots = BeanUtils.instantiateClass(ClassUtils.forName(
				"org.springframework.boot.diagnostics.analyzer.UnboundConfigurationPropertyFailureAnalyzer", null));
		assertThat(AnnotationAwareOrderComparator.INSTANCE.compare(new LlmMonitorPropertiesFailureAnalyzer(),
				springBoots))
			.isNegative();
	}

	@Test
	void theAnalysisIsTheReportOfAFailedStart(CapturedOutput output) {
		SpringApplication application = new SpringApplication(LlmMonitorApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> application.run("--llm.monitor.slow-request-treshold=2s"))
			.withRootCauseInstanceOf(UnboundConfigurationPropertiesException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Properties under 'llm.monitor' bind to nothing")
			.contains("Origin: \"llm.monitor.slow-request-treshold\" from property source \"commandLineArgs\"")
			.contains("did you mean 'llm.monitor.slow-request-threshold'?")
			.contains("Correct the names of these properties")
			// Spring Boot's own report of unbound properties is not the one chosen
			.doesNotContain("were left unbound");
	}

	@Test
	void relaxedNamesOfKnownPropertiesStillBind() {
		this.runner
			.withPropertyValues("llm.monitor.slowRequestThreshold=3s", "llm.monitor.call_log.enabled=true",
					"llm.monitor.histogram.time-to-first-token[0]=20ms",
					"llm.monitor.capture-content.redact-patterns[0]=secret-[0-9]+")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				LlmMonitorProperties properties = context.getBean(LlmMonitorProperties.class);
				assertThat(properties.getSlowRequestThreshold()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getCallLog().isEnabled()).isTrue();
				assertThat(properties.getHistogram().getTimeToFirstToken()).containsExactly(Duration.ofMillis(20));
			});
	}

	@Test
	void unknownSystemPropertiesAreNotChecked() {
		// like Spring Boot's ignoreUnknownFields = false: the JVM's and the OS's variables are shared
		this.runner.withSystemProperties("llm.monitor.not-ours=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void environmentVariablesBindButAreNotChecked() {
		this.runner.withInitializer(environmentVariable("LLM_MONITOR_SLOW_REQUEST_TRESHOLD", "2s"))
			.run((context) -> assertThat(context.getBean(LlmMonitorProperties.class).getSlowRequestThreshold())
				.isEqualTo(Duration.ofSeconds(5)));
		this.runner.withInitializer(environmentVariable("LLM_MONITOR_SLOW_REQUEST_THRESHOLD", "2s"))
			.run((context) -> assertThat(context.getBean(LlmMonitorProperties.class).getSlowRequestThreshold())
				.isEqualTo(Duration.ofSeconds(2)));
	}

	private static ApplicationContextInitializer<ConfigurableApplicationContext> environmentVariable(String name,
			String value) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of(name, value)));
	}

	@Test
	void suggestionsKnowEveryDocumentedProperty() throws IOException {
		String metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json")
			.getContentAsString(StandardCharsets.UTF_8);
		String properties = metadata.substring(metadata.indexOf("\"properties\""));
		Matcher names = Pattern.compile("\"name\": \"(llm\\.monitor\\.[^\"]+)\"").matcher(properties);
		List<String> documented = new ArrayList<>();
		while (names.find()) {
			documented.add(names.group(1));
		}
		assertThat(documented).isNotEmpty();
		assertThat(LlmMonitorPropertiesFailureAnalyzer.knownNames("llm.monitor", LlmMonitorProperties.class))
			.containsExactlyInAnyOrderElementsOf(documented);
	}

	@Test
	void aPriceTableBeanReplacesThePricingProperties() {
		LlmPriceTable custom = (model) -> new ModelPrice(1, 1);
		this.runner.withBean(LlmPriceTable.class, () -> custom)
			.withPropertyValues("llm.monitor.pricing.gpt-4o.input=2.5")
			.run((context) -> assertThat(context.getBean(LlmPriceTable.class)).isSameAs(custom));
	}

	@Test
	void withoutPricingThereIsNoPriceTable() {
		this.runner.run((context) -> assertThat(context.getBean(LlmPriceTable.class)).isSameAs(LlmPriceTable.NONE));
	}

	@Test
	void defaultsMatchTheContract() {
		this.runner.run((context) -> {
			LlmMonitorProperties properties = context.getBean(LlmMonitorProperties.class);
			assertThat(properties.getSlowRequestThreshold()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getSlowTokenRateThreshold()).isEqualTo(10.0);
			assertThat(properties.getTokenEvents().isEnabled()).isFalse();
			assertThat(properties.toSettings()).isEqualTo(LlmMonitorSettings.DEFAULTS);
			assertThat(properties.getMaxEndpoints()).isEqualTo(EndpointMonitor.DEFAULT_MAX_ENDPOINTS);
			assertThat(properties.getHistogram().toBuckets()).isEqualTo(LlmHistogramBuckets.DEFAULTS);
		});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "llm.monitor.slow-request-threshold=0s|slow-request-threshold|slowRequestThreshold",
					"llm.monitor.slow-request-threshold=-3s|slow-request-threshold|slowRequestThreshold",
					"llm.monitor.slow-request-threshold=soon|slow-request-threshold|slowRequestThreshold",
					"llm.monitor.slow-token-rate-threshold=-1|slow-token-rate-threshold|slowTokenRateThreshold",
					"llm.monitor.slow-token-rate-threshold=fast|slow-token-rate-threshold|slowTokenRateThreshold",
					"llm.monitor.max-models=0|max-models|maxModels",
					"llm.monitor.max-models=-5|max-models|maxModels",
					"llm.monitor.max-providers=0|max-providers|maxProviders",
					"llm.monitor.max-operations=0|max-operations|maxOperations",
					"llm.monitor.max-endpoints=0|max-endpoints|maxEndpoints",
					"llm.monitor.max-error-types=100001|max-error-types|maxErrorTypes",
					"llm.monitor.token-events.max-per-call=0|token-events.max-per-call|tokenEvents.maxPerCall",
					"llm.monitor.token-events.max-per-call=100000|token-events.max-per-call|tokenEvents.maxPerCall",
					"llm.monitor.tokenizer.default-encoding=llama|tokenizer.default-encoding|tokenizer.defaultEncoding",
					"llm.monitor.histogram.request-duration=1s,-2s|histogram.request-duration|histogram.requestDuration",
					"llm.monitor.histogram.token-generation-rate=0|histogram.token-generation-rate|histogram.tokenGenerationRate",
					"llm.monitor.pricing.gpt-4o.input=-2.5|pricing.gpt-4o.input|pricing[gpt-4o].input",
					"llm.monitor.pricing.[gpt-3.5-turbo].output=-1|pricing.[gpt-3.5-turbo].output|pricing[gpt-3.5-turbo].output",
					"llm.monitor.pricing.gpt-4o.output=cheap|pricing.gpt-4o.output|pricing[gpt-4o].output",
					"llm.monitor.pricing.gpt-4o.cached-input=-0.5|pricing.gpt-4o.cached-input|pricing[gpt-4o].cachedInput",
					"llm.monitor.budget.daily-usd=0|budget.daily-usd|budget.dailyUsd",
					"llm.monitor.budget.monthly-usd=-100|budget.monthly-usd|budget.monthlyUsd",
					"llm.monitor.budget.daily-usd=lots|budget.daily-usd|budget.dailyUsd",
					"llm.monitor.budget.models.gpt-4o.daily-usd=0|budget.models.gpt-4o.daily-usd|budget.models[gpt-4o].dailyUsd",
					"llm.monitor.budget.models.[gpt-3.5-turbo].monthly-usd=NaN|budget.models.[gpt-3.5-turbo].monthly-usd|budget.models[gpt-3.5-turbo].monthlyUsd",
					"llm.monitor.health.failure-threshold=0|health.failure-threshold|health.failureThreshold",
					"llm.monitor.gpu.interval=500ms|gpu.interval|gpu.interval",
					"llm.monitor.health.failure-threshold=5000|health.failure-threshold|health.failureThreshold",
					"llm.monitor.quality.refusal-patterns=I can('t help|quality.refusal-patterns|quality.refusalPatterns",
					"llm.monitor.quality.repetition-ngram-size=0|quality.repetition-ngram-size|quality.repetitionNgramSize",
					"llm.monitor.quality.repetition-ngram-size=11|quality.repetition-ngram-size|quality.repetitionNgramSize",
					"llm.monitor.quality.queue-capacity=0|quality.queue-capacity|quality.queueCapacity",
					"llm.monitor.feedback.recent-calls.max-size=-1|feedback.recent-calls.max-size|feedback.recentCalls.maxSize",
					"llm.monitor.feedback.recent-calls.time-to-live=0s|feedback.recent-calls.time-to-live|feedback.recentCalls.timeToLive" })
	void invalidValueFailsStartupNamingTheProperty(String property, String name, String field) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			String message = fullMessage(context.getStartupFailure());
			// conversion failures name the property; validation failures name the field of 'llm.monitor'
			assertThat(message.contains("llm.monitor." + name)
					|| (message.contains("'llm.monitor'") && message.contains("field '" + field + "'")))
				.as(message)
				.isTrue();
		});
	}

	@Test
	void aRefusalPatternThatIsNoRegularExpressionFailsStartupQuotingIt() {
		this.runner.withPropertyValues("llm.monitor.quality.refusal-patterns[0]=As an AI",
				"llm.monitor.quality.refusal-patterns[1]=I can('t help").run((context) -> {
					assertThat(context).hasFailed();
					assertThat(fullMessage(context.getStartupFailure())).contains("quality.refusalPatterns")
						.contains("'I can('t help' is not a regular expression: Unclosed group");
				});
	}

	/** The analysis of the failed start, as Spring Boot reports it. */
	private static FailureAnalysis failureAnalysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new LlmMonitorPropertiesFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class })
	static class LlmMonitorApplication {

	}

	/** Properties of another prefix, bound like {@code ignoreUnknownFields = false} binds. */
	static class OtherProperties {

		private int known;

		public int getKnown() {
			return this.known;
		}

		public void setKnown(int known) {
			this.known = known;
		}

	}

	private static String fullMessage(Throwable failure) {
		StringBuilder message = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			message.append(cause.getMessage()).append('\n');
		}
		return message.toString();
	}

}
