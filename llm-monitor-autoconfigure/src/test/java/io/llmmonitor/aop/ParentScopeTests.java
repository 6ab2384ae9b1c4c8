package io.llmmonitor.aop;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.llmmonitor.autoconfigure.LlmMonitorAopAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration;
import io.llmmonitor.autoconfigure.LlmMonitorTracingAutoConfiguration;
import io.llmmonitor.call.internal.ParentScopes;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A monitored {@code Flux} subscribed under a parent observation that is not current on the
 * thread: the parent's scope is opened while the call starts only where the tracer would
 * otherwise pick another parent span. A reactive server subscribes on an event loop with no
 * current span and the request's observation in the Reactor context; Spring MVC subscribes
 * inside the request's span.
 */
class ParentScopeTests {

	/** The observation of {@code @MonitoredEndpoint("chat.stream")}. */
	private static final String ENDPOINT = "llm.endpoint.duration";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PropertyPlaceholderAutoConfiguration.class,
				ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, AopAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
				LlmMonitorMetricsAutoConfiguration.class, LlmMonitorTracingAutoConfiguration.class,
				LlmMonitorAopAutoConfiguration.class))
		.withUserConfiguration(MonitoringAspectTests.TestBeans.class)
		.withBean(ScopeCounting.class)
		.withPropertyValues("test.model=gpt-4o-mini");

	@Test
	void onAThreadWithoutASpanNoParentScopeIsOpenedAndTheSpansStillNest() {
		this.runner.run((context) -> {
			Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
			assertThat(context.getBean(MonitoringAspectTests.ChatEndpoint.class)
				.stream()
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, request))
				.collectList()
				.block()).hasSize(3);
			request.stop();

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
			Observation request = Observation.start("http.server.requests", context.getBean(ObservationRegistry.class));
			context.getBean(MonitoringAspectTests.ChatEndpoint.class)
				.stream()
				.contextWrite((reactorContext) -> reactorContext.put(ObservationThreadLocalAccessor.KEY, request))
				.blockLast();
			request.stop();

			assertNested(context);
			ScopeCounting scopes = context.getBean(ScopeCounting.class);
			assertThat(scopes.opened("http.server.requests")).as("scopes of the request").isOne();
			assertThat(scopes.opened(ENDPOINT)).as("scopes of the endpoint among %s", scopes).isEqualTo(2);
		});
	}

	private static void assertNested(AssertableApplicationContext context) {
		Collection<SimpleSpan> spans = context.getBean(SimpleTracer.class).getSpans();
		SimpleSpan server = span(spans, "http.server.requests");
		SimpleSpan endpoint = span(spans, "chat.stream");
		SimpleSpan llm = span(spans, "chat gpt-4o");
		assertThat(endpoint.getParentId()).isEqualTo(server.getSpanId());
		assertThat(llm.getParentId()).isEqualTo(endpoint.getSpanId());
		assertThat(llm.getTraceId()).isEqualTo(server.getTraceId());
	}

	private static SimpleSpan span(Collection<SimpleSpan> spans, String name) {
		List<SimpleSpan> matching = spans.stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(matching).as("spans named %s among %s", name, spans).hasSize(1);
		return matching.get(0);
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
