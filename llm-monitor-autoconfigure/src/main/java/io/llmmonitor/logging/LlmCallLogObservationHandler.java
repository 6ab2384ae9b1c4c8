package io.llmmonitor.logging;

import java.time.Duration;
import java.util.function.Function;

import io.llmmonitor.call.internal.Decimals;
import io.llmmonitor.cost.CallCost;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallHighCardinalityKeys;
import io.llmmonitor.observation.SlowCallReason;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Logs one line per finished LLM call on the logger {@value #LOGGER_NAME}, at INFO. The message is
 * logfmt ({@code key=value} pairs, for people and for Loki's {@code | logfmt}); the same figures go
 * along as SLF4J key-value pairs, which Spring Boot's structured logging
 * ({@code logging.structured.format.console=ecs}) writes as JSON fields. The line carries the trace
 * and span id of the call's span, so that a log search leads to the trace. No prompt or completion
 * text is ever logged.
 *
 * <pre>
 * llm_call operation=chat model=gpt-4o provider=openai status=success error_type=none duration_s=1.234 ttft_s=0.120 tokens_per_s=52.1 input_tokens=11 output_tokens=8 output_tokens_source=provider cost_usd=0.000108 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7
 * </pre>
 */
public class LlmCallLogObservationHandler implements ObservationHandler<LlmCallContext> {

	/** The logger of the call lines: set its level to turn them off without a restart. */
	public static final String LOGGER_NAME = "io.llmmonitor.calls";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	private final Function<Observation.Context, @Nullable TraceIds> traceIds;

	/**
	 * @param traceIds the trace and span id of an observation, {@code null} when it has no span
	 */
	public LlmCallLogObservationHandler(Function<Observation.Context, @Nullable TraceIds> traceIds) {
		this.traceIds = traceIds;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof LlmCallContext;
	}

	@Override
	public void onStart(LlmCallContext context) {
		// the line is written even when another handler's failure keeps this onStop from Micrometer
		context.awaitStop(this);
	}

	@Override
	public void onStop(LlmCallContext context) {
		context.stopReceived(this);
		if (!logger.isInfoEnabled()) {
			return;
		}
		Line line = new Line(logger.atInfo());
		line.add("operation", LlmCallHighCardinalityKeys.OPERATION_NAME.asString(), context.getOperation());
		line.add("model", LlmCallHighCardinalityKeys.REQUEST_MODEL.asString(), context.getModel());
		line.add("response_model", LlmCallHighCardinalityKeys.RESPONSE_MODEL.asString(), context.getResponseModel());
		line.add("provider", LlmCallHighCardinalityKeys.PROVIDER_NAME.asString(), context.getProvider());
		line.add("stream", LlmCallHighCardinalityKeys.REQUEST_STREAM.asString(), context.isStream());
		CallStatus status = context.getStatus();
		line.add("status", "llm.status", (status != null) ? status.tagValue() : null);
		line.add("error_type", LlmCallHighCardinalityKeys.ERROR_TYPE.asString(),
				DefaultLlmCallObservationConvention.errorType(context.getError()));
		Duration duration = context.getDuration();
		line.add("duration_s", "llm.duration_s", (duration != null) ? seconds(duration) : null);
		Duration timeToFirstToken = context.getTimeToFirstToken();
		line.add("ttft_s", LlmCallHighCardinalityKeys.TIME_TO_FIRST_CHUNK.asString(),
				(timeToFirstToken != null) ? seconds(timeToFirstToken) : null);
		double tokenRate = context.getTokenGenerationRate();
		line.add("tokens_per_s", "llm.tokens_per_s",
				Double.isNaN(tokenRate) ? null : Decimals.fixed(tokenRate, 1));
		line.add("input_tokens", LlmCallHighCardinalityKeys.USAGE_INPUT_TOKENS.asString(), context.getInputTokens());
		line.add("output_tokens", LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS.asString(), context.getOutputTokens());
		line.add("output_tokens_source", LlmCallHighCardinalityKeys.USAGE_OUTPUT_TOKENS_SOURCE.asString(),
				(context.getOutputTokensSource() != null) ? context.getOutputTokensSource().tagValue() : null);
		CallCost cost = context.getCost();
		line.add("cost_usd", LlmCallHighCardinalityKeys.COST_USD.asString(),
				(cost != null) ? Decimals.fixed(cost.totalUsd(), 6) : null);
		if (!context.getSlowReasons().isEmpty()) {
			line.add("slow", "llm.slow", String.join(",",
					context.getSlowReasons().stream().map(SlowCallReason::tagValue).toList()));
		}
		TraceIds ids = this.traceIds.apply(context);
		if (ids != null) {
			line.add("trace_id", "trace.id", ids.traceId());
			line.add("span_id", "span.id", ids.spanId());
		}
		line.log();
	}

	private static String seconds(Duration duration) {
		return Decimals.fixed(duration.toNanos() / 1e9, 3);
	}

	/**
	 * The trace and span id of a call's span.
	 *
	 * @param traceId hexadecimal trace id
	 * @param spanId hexadecimal span id
	 */
	public record TraceIds(String traceId, String spanId) {
	}

	/** One log line: logfmt message and SLF4J key-value pairs. */
	private static final class Line {

		private final LoggingEventBuilder event;

		private final StringBuilder message = new StringBuilder(256).append("llm_call");

		Line(LoggingEventBuilder event) {
			this.event = event;
		}

		void add(String logfmtKey, String structuredKey, @Nullable Object value) {
			if (value == null) {
				return;
			}
			String text = value.toString();
			this.message.append(' ').append(logfmtKey).append('=').append(logfmtValue(text));
			this.event.addKeyValue(structuredKey, (value instanceof Number || value instanceof Boolean) ? value : text);
		}

		void log() {
			this.event.setMessage(this.message.toString()).log();
		}

		/** Quoted when it holds a space, a quote, an equals sign or nothing, as logfmt wants. */
		private static String logfmtValue(String value) {
			if (!value.isEmpty() && value.chars().noneMatch((c) -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
				return value;
			}
			StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				switch (c) {
					case '"' -> quoted.append("\\\"");
					case '\\' -> quoted.append("\\\\");
					case '\n' -> quoted.append("\\n");
					default -> quoted.append((c < 0x20) ? ' ' : c);
				}
			}
			return quoted.append('"').toString();
		}

	}

}
