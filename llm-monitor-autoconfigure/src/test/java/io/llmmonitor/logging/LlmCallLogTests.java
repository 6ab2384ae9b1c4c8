package io.llmmonitor.logging;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorCallLogAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorTracingAutoConfiguration;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.logging.LlmCallLogObservationHandler.TraceIds;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import org.slf4j.spi.LoggingEventBuilder;
import reactor.core.publisher.Flux;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-call log line: its logfmt message, its key-value pairs for structured logging, and the
 * trace and span id of the call's span.
 */
class LlmCallLogTests {

	private static final LlmCallSpec STREAM = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class,
				LlmMonitorCallLogAutoConfiguration.class))
		.withUserConfiguration(SimpleTracingConfiguration.class)
		.withBean(LlmResponseExtractor.class, Chunk.Extractor::new)
		.withPropertyValues("llm.monitor.pricing.gpt-4o.input=2.5", "llm.monitor.pricing.gpt-4o.output=10");

	private final Logger callLogger = (Logger) LoggerFactory.getLogger(LlmCallLogObservationHandler.LOGGER_NAME);

	private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

	@BeforeEach
	void captureCallLines() {
		this.lines.start();
		this.callLogger.addAppender(this.lines);
	}

	@AfterEach
	void releaseCallLines() {
		this.callLogger.detachAppender(this.lines);
	}

	@Test
	void offByDefault() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
			.doesNotHaveBean(LlmCallLogObservationHandler.class));
	}

	@Test
	void logsOneLinePerCallWithItsFigures() {
		this.runner.withPropertyValues("llm.monitor.call-log.enabled=true").run((context) -> {
			ReactiveLlmMonitor reactive = context.getBean(ReactiveLlmMonitor.class);
			reactive.stream(STREAM, Flux.just(Chunk.text("The secret"), Chunk.text(" answer"), Chunk.usage(11, 8)))
				.blockLast();

			assertThat(this.lines.list).singleElement().satisfies((line) -> {
				assertThat(line.getLevel()).hasToString("INFO");
				assertThat(line.getFormattedMessage()).startsWith(
						"llm_call operation=chat model=gpt-4o response_model=gpt-4o-2024-08-06 provider=openai stream=true status=success error_type=none duration_s=")
					.endsWith(" input_tokens=11 output_tokens=8 output_tokens_source=provider cost_usd=0.000108")
					.contains(" ttft_s=", " tokens_per_s=")
					.doesNotContain("secret", "answer");
				Map<String, Object> pairs = pairs(line);
				assertThat(pairs).containsEntry("gen_ai.request.model", "gpt-4o")
					.containsEntry("gen_ai.usage.input_tokens", 11L)
					.containsEntry("gen_ai.usage.output_tokens", 8L)
					.containsEntry("gen_ai.request.stream", true)
					.containsEntry("llm.status", "success")
					.containsEntry("llm.cost.usd", "0.000108");
			});
		});
	}

	@Test
	void aFailedCallLogsItsErrorTypeAndAValueWithASpaceIsQuoted() {
		this.runner.withPropertyValues("llm.monitor.call-log.enabled=true").run((context) -> {
			LlmMonitor monitor = context.getBean(LlmMonitor.class);
			try {
				monitor.call(LlmCallSpec.chat("my model", "openai"), () -> {
					throw new IllegalStateException("upstream 429");
				});
			}
			catch (IllegalStateException expected) {
				// the call's own exception
			}
			assertThat(this.lines.list).singleElement()
				.extracting(ILoggingEvent::getFormattedMessage)
				.asString()
				.contains("model=\"my model\"", "status=error error_type=IllegalStateException")
				.doesNotContain("cost_usd", "upstream 429");
		});
	}

	@Test
	void withoutMicrometerTracingTheLineHasNoIds() {
		this.runner.withPropertyValues("llm.monitor.call-log.enabled=true")
			.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> {
				context.getBean(LlmMonitor.class).call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "hi");
				assertThat(this.lines.list).singleElement()
					.extracting(ILoggingEvent::getFormattedMessage)
					.asString()
					.contains("model=gpt-4o", "status=success")
					.doesNotContain("trace_id");
			});
	}

	@Test
	void withoutSlf4jTwoThereIsNoCallLog() {
		this.runner.withPropertyValues("llm.monitor.call-log.enabled=true")
			.withClassLoader(new FilteredClassLoader(LoggingEventBuilder.class))
			.run((context) -> assertThat(context).hasSingleBean(LlmMonitor.class)
				.doesNotHaveBean(LlmCallLogObservationHandler.class));
	}

	@Test
	void idsComeFromTheSpanThatTracingKeepsInTheContext() {
		SimpleSpan span = new SimpleSpan();
		span.context().setTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
		span.context().setSpanId("00f067aa0ba902b7");
		TracingObservationHandler.TracingContext tracingContext = new TracingObservationHandler.TracingContext();
		tracingContext.setSpan(span);
		Observation.Context context = new Observation.Context();
		context.put(TracingObservationHandler.TracingContext.class, tracingContext);

		assertThat(new TracingTraceIds().apply(context))
			.isEqualTo(new TraceIds("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"));
		span.context().setTraceId("00000000000000000000000000000000");
		assertThat(new TracingTraceIds().apply(context)).isNull();
		assertThat(new TracingTraceIds().apply(new Observation.Context())).isNull();
	}

	private static Map<String, Object> pairs(ILoggingEvent event) {
		List<KeyValuePair> pairs = event.getKeyValuePairs();
		return pairs.stream().collect(Collectors.toMap((pair) -> pair.key, (pair) -> pair.value));
	}

}
