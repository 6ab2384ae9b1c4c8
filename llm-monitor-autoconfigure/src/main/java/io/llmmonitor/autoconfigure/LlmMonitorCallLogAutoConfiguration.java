package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.logging.LlmCallLogObservationHandler;
import io.llmmonitor.logging.TracingTraceIds;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * One log line per LLM call, on {@code llm.monitor.call-log.enabled=true}. Needs SLF4J 2 (Spring
 * Boot's logging); with Micrometer Tracing the line carries the call's trace and span id.
 */
@AutoConfiguration(after = LlmMonitorAutoConfiguration.class)
@ConditionalOnBean(LlmMonitor.class)
@ConditionalOnClass(LoggingEventBuilder.class)
@ConditionalOnBooleanProperty("llm.monitor.call-log.enabled")
public final class LlmMonitorCallLogAutoConfiguration {

	private static final String TRACING_HANDLER = "io.micrometer.tracing.handler.TracingObservationHandler";

	@Bean
	@ConditionalOnMissingBean
	LlmCallLogObservationHandler llmCallLogObservationHandler() {
		boolean tracing = ClassUtils.isPresent(TRACING_HANDLER, LlmMonitorCallLogAutoConfiguration.class.getClassLoader());
		return new LlmCallLogObservationHandler(tracing ? new TracingTraceIds() : (context) -> null);
	}

}
