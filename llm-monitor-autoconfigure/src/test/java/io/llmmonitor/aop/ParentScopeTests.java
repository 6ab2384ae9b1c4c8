package io.llmmonitor.aop;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.call.internal.ParentScopes;
import io.llmmonitor.observation.EndpointContext;
import io.llmmonitor.observation.LlmCallContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A monitored {@code Flux} subscribed under a parent observation that is not current on the
 * thread: the parent's scope is opened while the call starts only where the tracer would
 * otherwise pick another parent span. A reactive server subscribes on an event loop with no
 * current span and the request's observation in the Reactor context; Spring MVC subscribes
 * inside the request's span.
 */
@ExtendWith(OutputCaptureExtension.class)
class ParentScopeTests {

	/** The observation of {@code @MonitoredEndpoint("chat.stream")}. */
	private static final String ENDPOINT = "llm.endpoint.duration";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(MonitoringAspectTests.BOOT_AND_LLM_MONITOR)
		.withUserConfiguration(MonitoringAspectTests.TestBeans.class)
		.withBean(ScopeCounting.class)
		.withPropertyValues("test.model=gpt-4o-mini");

	@Test
	void onAThreadWithoutASpanNoParentScopeIsOpenedAndTheSpansStillNest() {
		this.runner.run((context) -> {
			assertThat(streamUnderARequestOnAThreadWithoutASpan(context)).hasSize(3);

			assertNested(context);
			ScopeCounting scopes = context.getBean(ScopeCounting.class);
			assertThat(scopes.opened("http.server.requests")).as("scopes of the request").isZero();
			// the endpoint's own, to stop in: none for the start of the LLM call under it
			assertThat(scopes.opened(ENDPOINT)).as("scopes of the endpoint among %s", scopes).isOne();
		});
	}

	@Test
	void insideTheRequestSpanTheParentScopeIsOpenedSoThatTheSpansNest() {
		this.runner.run((context) -> {
			Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
			try (Observation.Scope scope = request.openScope()) {
				assertThat(context.getBean(MonitoringAspectTests.ChatEndpoint.class).stream().collectList().block())
					.hasSize(3);
			}
			request.stop();

			assertNested(context);
			// the endpoint's, for the LLM call to start in, then its own to stop in
			ScopeCounting scopes = context.getBean(ScopeCounting.class);
			assertThat(scopes.opened(ENDPOINT)).as("scopes of the endpoint among %s", scopes)
				.isEqualTo(2);
		});
	}

	@Test
	void aParentScopesBeanOfTheApplicationReplacesTheTracers() {
		this.runner.withBean(ParentScopes.class, () -> ParentScopes.ALWAYS).run((context) -> {
			streamUnderARequestOnAThreadWithoutASpan(context);

			assertNested(context);
			ScopeCounting scopes = context.getBean(ScopeCounting.class);
			assertThat(scopes.opened("http.server.requests")).as("scopes of the request").isOne();
			assertThat(scopes.opened(ENDPOINT)).as("scopes of the endpoint among %s", scopes).isEqualTo(2);
		});
	}

	@Test
	void predicatesSeeTheParentOfACallSubscribedWithoutItsScope() {
		// enables the endpoint and the LLM call only under a parent, as a predicate that drops the
		// calls made by health checks does
		ObservationPredicate onlyUnderAParent = (name, observationContext) -> !(observationContext instanceof LlmCallContext
				|| observationContext instanceof EndpointContext) || observationContext.getParentObservation() != null;
		this.runner.withBean(ObservationPredicate.class, () -> onlyUnderAParent).run((context) -> {
			streamUnderARequestOnAThreadWithoutASpan(context);

			assertNested(context);
			assertThat(context.getBean(ScopeCounting.class).opened("http.server.requests")).isZero();
		});
	}

	/**
	 * A span the application made current inside the request (a retrieval step) is not the parent
	 * of a {@code Flux}'s call whose parent observation is the request: the request's scope is
	 * opened while it starts, as for any parent whose span is not the thread's.
	 */
	@Test
	void aSpanOfTheApplicationCurrentOnTheThreadDoesNotBecomeTheParent() {
		this.runner.run((context) -> {
			SimpleTracer tracer = context.getBean(SimpleTracer.class);
			Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
			try (Observation.Scope scope = request.openScope()) {
				Span retrieval = tracer.nextSpan().name("retrieval").start();
				try (Tracer.SpanInScope inRetrieval = tracer.withSpan(retrieval)) {
					context.getBean(MonitoringAspectTests.LlmClient.class).stream().blockLast();
				}
				retrieval.end();
			}
			request.stop();

			Collection<SimpleSpan> spans = tracer.getSpans();
			assertThat(MonitoringAspectTests.span(spans, "chat gpt-4o").getParentId()).isEqualTo(MonitoringAspectTests.span(spans, "http.server.requests").getSpanId());
		});
	}

	/**
	 * A {@code Flux} declared as {@code Object}: its call starts on entry and the first subscription
	 * takes it; a later one starts its own, under the parent of its Reactor context, with no scope
	 * on a thread without a span.
	 */
	@Test
	void aFluxDeclaredAsObjectNeedsNoParentScopeEither() {
		this.runner.withBean(ObjectDeclaredClient.class).run((context) -> {
			Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
			Object stream;
			try (Observation.Scope scope = request.openScope()) {
				stream = context.getBean(ObjectDeclaredClient.class).stream();
			}
			for (int subscription = 0; subscription < 2; subscription++) {
				assertThat(stream).isInstanceOf(Flux.class);
				((Flux<?>) stream)
					.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, request))
					.blockLast();
			}
			request.stop();

			Collection<SimpleSpan> spans = context.getBean(SimpleTracer.class).getSpans();
			SimpleSpan server = MonitoringAspectTests.span(spans, "http.server.requests");
			assertThat(spans).filteredOn((span) -> span.getName().equals("chat gpt-4o-object"))
				.hasSize(2)
				.allSatisfy((span) -> assertThat(span.getParentId()).isEqualTo(server.getSpanId()));
			// the test's own scope, for the call on entry
			assertThat(context.getBean(ScopeCounting.class).opened("http.server.requests")).isOne();
		});
	}

	@Test
	void whenThePolicyFailsTheParentScopeIsOpenedAndTheFailureReported(CapturedOutput output) {
		ParentScopes failing = (parent) -> {
			throw new IllegalStateException("tracer gone");
		};
		this.runner.withBean(ParentScopes.class, () -> failing).run((context) -> {
			streamUnderARequestOnAThreadWithoutASpan(context);

			assertNested(context);
			assertThat(context.getBean(ScopeCounting.class).opened("http.server.requests")).isOne();
			assertThat(output).contains("reading the current span").contains("tracer gone");
		});
	}

	/**
	 * Streams the endpoint as a reactive server does: the request's observation in the Reactor
	 * context, none in scope and no span current on the thread.
	 * @return the streamed elements
	 */
	private static List<String> streamUnderARequestOnAThreadWithoutASpan(AssertableApplicationContext context) {
		Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
		List<String> elements = context.getBean(MonitoringAspectTests.ChatEndpoint.class)
			.stream()
			.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, request))
			.collectList()
			.block();
		request.stop();
		return elements;
	}

	private static void assertNested(AssertableApplicationContext context) {
		Collection<SimpleSpan> spans = context.getBean(SimpleTracer.class).getSpans();
		SimpleSpan server = MonitoringAspectTests.span(spans, "http.server.requests");
		SimpleSpan endpoint = MonitoringAspectTests.span(spans, "chat.stream");
		SimpleSpan llm = MonitoringAspectTests.span(spans, "chat gpt-4o");
		assertThat(endpoint.getParentId()).isEqualTo(server.getSpanId());
		assertThat(llm.getParentId()).isEqualTo(endpoint.getSpanId());
		assertThat(llm.getTraceId()).isEqualTo(server.getTraceId());
	}

	static class ObjectDeclaredClient {

		@MonitoredLlmCall(model = "gpt-4o-object", provider = "openai")
		public Object stream() {
			return Flux.just("Hel", "lo");
		}

	}

	/** Counts the scopes opened per observation name. */
	static class ScopeCounting implements ObservationHandler<Observation.Context> {

		private final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

		@Override
		public String toString() {
			return this.opened.toString();
		}

		int opened(String name) {
			AtomicInteger count = this.opened.get(name);
			return (count != null) ? count.get() : 0;
		}

		@Override
		public void onScopeOpened(Observation.Context context) {
			this.opened.computeIfAbsent(context.getName(), (key) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
