package io.llmmonitor.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * What a stream's element pays when an operator restores the Reactor context's observation on
 * the thread: Reactor's limited context propagation opens and closes the observation's scope
 * around each element of every {@code handle} operator, such as {@code mapNotNull}. The sample's
 * three {@code mapNotNull} per chunk (two in its client, one in its controller), by what their
 * contexts hold: nothing (the floor: Reactor restores nothing from an empty context); Spring
 * Boot's HTTP server observation (a receiver context), as in the unmonitored sample; an LLM
 * call's; an endpoint's; the LLM call's for the client's two and the endpoint's for the
 * controller's, as in the monitored sample. The Spring Boot context of
 * {@link MonitoredCallBenchmark}: metrics and tracing on, every span sampled. The observations
 * are started once and stay open until the trial ends; one operation is one element through one
 * operator, a restore wherever the context holds an observation. Each case runs in its own fork,
 * where the handlers' call sites see one kind of context: a lower bound of what a restore costs
 * in an application, whose call sites see every kind.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScopeRestoreBenchmark {

	private static final int ELEMENTS = 50;

	@Param({ "none", "server", "llmCall", "endpoint", "llmCallAndEndpoint" })
	String observation;

	private final MonitoredCallBenchmark.Tracing application = new MonitoredCallBenchmark.Tracing();

	private Flux<Integer> elements;

	private List<Observation> started = List.of();

	@Setup(Level.Trial)
	public void setUp() {
		this.application.setUp();
		Observation server = Observation
			.createNotStarted("http.server.requests",
					() -> new RequestReplyReceiverContext<Map<String, String>, Object>(Map::get),
					this.application.registry)
			.start();
		// as in the sample: the endpoint under the server request, the LLM call under the endpoint
		Observation endpoint = Objects.requireNonNull(
				this.application.context.getBean(EndpointMonitor.class).starter("chat.stream").start(server))
			.observation();
		Observation llmCall = Objects.requireNonNull(this.application.context.getBean(LlmMonitor.class)
			.starter(LlmCallSpec.chat("gpt-4o", "openai").withStream(true))
			.start(endpoint)).observation();
		this.started = List.of(llmCall, endpoint, server);
		Context serverContext = context(server);
		Context llmCallContext = context(llmCall);
		Context endpointContext = context(endpoint);
		Integer[] values = new Integer[ELEMENTS];
		for (int i = 0; i < ELEMENTS; i++) {
			values[i] = i;
		}
		Flux<Integer> client = Flux.fromArray(values).mapNotNull((value) -> value).mapNotNull((value) -> value);
		this.elements = switch (this.observation) {
			case "none" -> threeOperators(client, Context.empty(), Context.empty());
			case "server" -> threeOperators(client, serverContext, serverContext);
			case "llmCall" -> threeOperators(client, llmCallContext, llmCallContext);
			case "endpoint" -> threeOperators(client, endpointContext, endpointContext);
			case "llmCallAndEndpoint" -> threeOperators(client, llmCallContext, endpointContext);
			default -> throw new IllegalArgumentException(this.observation);
		};
	}

	/**
	 * The sample's operators on each chunk: two {@code mapNotNull} in its client, under the
	 * client's context, and one in its controller, under the controller's.
	 */
	private static Flux<Integer> threeOperators(Flux<Integer> client, Context clientContext,
			Context controllerContext) {
		return client.contextWrite(clientContext).mapNotNull((value) -> value).contextWrite(controllerContext);
	}

	private static Context context(Observation observation) {
		return Context.of(ObservationThreadLocalAccessor.KEY, observation);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.started.forEach(Observation::stop);
		this.application.tearDown();
	}

	@Benchmark
	@OperationsPerInvocation(3 * ELEMENTS)
	public void restorePerElement(Blackhole blackhole) {
		this.elements.subscribe(blackhole::consume);
	}

}
