package io.llmmonitor.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TracerParentScopesTests {

	private final SimpleTracer tracer = new SimpleTracer();

	private final TracerParentScopes parentScopes = new TracerParentScopes(this.tracer);

	private final ObservationRegistry registry = ObservationRegistry.create();

	TracerParentScopesTests() {
		this.registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
	}

	@Test
	void onAThreadWithoutASpanTheParentNeedsNoScope() {
		Observation parent = Observation.start("parent", this.registry);
		assertThat(this.parentScopes.needed(parent)).isFalse();
		parent.stop();
	}

	@Test
	void whenTheThreadsSpanIsTheParentsTheParentNeedsNoScope() {
		Observation parent = Observation.start("parent", this.registry);
		try (Observation.Scope scope = parent.openScope()) {
			assertThat(this.parentScopes.needed(parent)).isFalse();
		}
		parent.stop();
	}

	@Test
	void whenTheThreadHasAnotherSpanTheParentNeedsItsScope() {
		Observation request = Observation.start("request", this.registry);
		Observation parent = Observation.createNotStarted("parent", this.registry).parentObservation(request).start();
		try (Observation.Scope scope = request.openScope()) {
			assertThat(this.parentScopes.needed(parent)).isTrue();
		}
		parent.stop();
		request.stop();
	}

	@Test
	void aParentWithoutASpanNeedsItsScopeWhenTheThreadHasOne() {
		Observation untraced = Observation.start("untraced", ObservationRegistry.create());
		Span manual = this.tracer.nextSpan().name("manual").start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(manual)) {
			assertThat(this.parentScopes.needed(untraced)).isTrue();
		}
		assertThat(this.parentScopes.needed(untraced)).isFalse();
		manual.end();
		untraced.stop();
	}

}
