package io.llmmonitor.tracing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LlmCallTracingObservationHandlerTests {

	@Test
	void startsTheClientSpanWithoutInjectingItsContextAnywhere() {
		SimpleTracer tracer = new SimpleTracer();
		AtomicInteger injected = new AtomicInteger();
		Propagator propagator = new Propagator() {
			@Override
			public List<String> fields() {
				return List.of("traceparent");
			}

			@Override
			public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
				injected.incrementAndGet();
			}

			@Override
			public <C> io.micrometer.tracing.Span.Builder extract(C carrier, Getter<C> getter) {
				return tracer.spanBuilder();
			}
		};
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new LlmCallTracingObservationHandler(tracer, propagator));
		Observation.createNotStarted("llm.request.duration", () -> new LlmCallContext("gpt-4o", "openai", "chat", false),
				registry)
			.contextualName("chat gpt-4o")
			.start()
			.stop();
		SimpleSpan span = tracer.onlySpan();
		assertThat(span.getName()).isEqualTo("chat gpt-4o");
		assertThat(span.getEndTimestamp()).isNotNull();
		assertThat(injected).hasValue(0);
	}

}
