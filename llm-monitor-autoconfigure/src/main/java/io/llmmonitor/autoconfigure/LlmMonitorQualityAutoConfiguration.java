package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.quality.AnswerAnalyzer;
import io.llmmonitor.quality.BoundedAnalysisExecutor;
import io.llmmonitor.quality.LlmQualityObservationHandler;
import io.llmmonitor.quality.RefusalDetector;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Cheap quality signals of answers: finish reasons and empty answers always, refusals and
 * repetition when {@code llm.monitor.quality.enabled=true}. Needs a {@link MeterRegistry}.
 */
@AutoConfiguration(after = LlmMonitorMetricsAutoConfiguration.class)
@ConditionalOnBean({ LlmMonitor.class, MeterRegistry.class })
public final class LlmMonitorQualityAutoConfiguration {

	private static final Log logger = LogFactory.getLog(LlmMonitorQualityAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	LlmQualityObservationHandler llmQualityObservationHandler(MeterRegistry meterRegistry,
			ObjectProvider<AnswerAnalyzer> answerAnalyzer) {
		return new LlmQualityObservationHandler(meterRegistry, answerAnalyzer.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty("llm.monitor.quality.enabled")
	AnswerAnalyzer llmAnswerAnalyzer(MeterRegistry meterRegistry, LlmMonitorProperties properties) {
		LlmMonitorProperties.Quality quality = properties.getQuality();
		if (!properties.getCaptureContent().isEnabled()) {
			logger.warn("llm-monitor: llm.monitor.quality.enabled=true reads the captured completion, but "
					+ "llm.monitor.capture-content.enabled is false: no answer is analysed for refusals or repetition");
		}
		return new AnswerAnalyzer(new RefusalDetector(quality.getRefusalPatterns()), quality.getRepetitionNgramSize(),
				new BoundedAnalysisExecutor(quality.getQueueCapacity(), meterRegistry));
	}

}
