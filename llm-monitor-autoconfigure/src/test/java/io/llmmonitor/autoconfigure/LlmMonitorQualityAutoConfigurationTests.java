package io.llmmonitor.autoconfigure;

import io.llmmonitor.quality.AnswerAnalyzer;
import io.llmmonitor.quality.BoundedAnalysisExecutor;
import io.llmmonitor.quality.LlmQualityObservationHandler;
import io.llmmonitor.quality.RefusalDetector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions of {@link LlmMonitorQualityAutoConfiguration}, both ways.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmMonitorQualityAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class,
				LlmMonitorQualityAutoConfiguration.class));

	@Test
	void finishReasonsAndEmptyAnswersAreAlwaysRecordedAndAnswerAnalysisIsOptIn() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(LlmQualityObservationHandler.class)
			.doesNotHaveBean(AnswerAnalyzer.class));
	}

	@Test
	void qualityEnabledAnalysesCapturedAnswers(CapturedOutput output) {
		this.runner
			.withPropertyValues("llm.monitor.quality.enabled=true", "llm.monitor.capture-content.enabled=true",
					"llm.monitor.quality.refusal-patterns=nope,never")
			.run((context) -> {
				assertThat(context).hasSingleBean(AnswerAnalyzer.class).hasSingleBean(LlmQualityObservationHandler.class);
				AnswerAnalyzer analyzer = context.getBean(AnswerAnalyzer.class);
				assertThat(analyzer.analyze("Nope.").refusal()).isTrue();
				assertThat(analyzer.analyze("I can't help with that").refusal()).isFalse();
			});
		assertThat(output).doesNotContain("no answer is analysed");
	}

	@Test
	void qualityWithoutContentCaptureWarnsThatNothingWillBeAnalysed(CapturedOutput output) {
		this.runner.withPropertyValues("llm.monitor.quality.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(AnswerAnalyzer.class));
		assertThat(output).contains("llm.monitor.capture-content.enabled is false: no answer is analysed");
	}

	@Test
	void theAnalysisThreadStopsWithTheContext() {
		this.runner.withPropertyValues("llm.monitor.quality.enabled=true").run((context) -> {
			AnswerAnalyzer analyzer = context.getBean(AnswerAnalyzer.class);
			Counter dropped = context.getBean(MeterRegistry.class).get(BoundedAnalysisExecutor.DROPPED).counter();
			context.close();
			// a closed executor takes nothing more: the answer is dropped
			analyzer.analyzeLater("an answer after shutdown", (analysis) -> {
			});
			assertThat(dropped.count()).isEqualTo(1);
		});
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					LlmMonitorAutoConfiguration.class, LlmMonitorMetricsAutoConfiguration.class,
					LlmMonitorQualityAutoConfiguration.class))
			.withPropertyValues("llm.monitor.quality.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LlmQualityObservationHandler.class)
				.doesNotHaveBean(AnswerAnalyzer.class));
	}

	@Test
	void backsOffWhenMonitoringIsDisabled() {
		this.runner.withPropertyValues("llm.monitor.enabled=false", "llm.monitor.quality.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmQualityObservationHandler.class)
				.doesNotHaveBean(AnswerAnalyzer.class));
	}

	@Test
	void userBeansReplaceTheDefaults() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		LlmQualityObservationHandler handler = new LlmQualityObservationHandler(registry, null);
		AnswerAnalyzer analyzer = new AnswerAnalyzer(new RefusalDetector(RefusalDetector.DEFAULT_PATTERNS), 2,
				new BoundedAnalysisExecutor(1, registry));
		this.runner.withPropertyValues("llm.monitor.quality.enabled=true")
			.withBean(LlmQualityObservationHandler.class, () -> handler)
			.withBean(AnswerAnalyzer.class, () -> analyzer)
			.run((context) -> {
				assertThat(context.getBean(LlmQualityObservationHandler.class)).isSameAs(handler);
				assertThat(context.getBean(AnswerAnalyzer.class)).isSameAs(analyzer);
			});
	}

}
