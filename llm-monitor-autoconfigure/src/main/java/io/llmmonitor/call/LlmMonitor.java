package io.llmmonitor.call;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.llmmonitor.cost.LlmPricing;
import io.llmmonitor.observation.DefaultLlmCallObservationConvention;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.LlmCallObservationConvention;
import io.llmmonitor.observation.LlmObservationDocumentation;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.llmmonitor.usage.TokenCounter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

/**
 * Programmatic API for LLM calls that cannot be annotated, and the engine behind
 * {@code @MonitoredLlmCall}:
 *
 * <pre class="code">
 * String answer = llmMonitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -&gt; client.chat(prompt));
 * llmMonitor.currentCall().ifPresent((call) -&gt; call.event("retrieval.done"));
 * </pre>
 *
 * Streams and {@code Mono}s are monitored through {@code ReactiveLlmMonitor}.
 */
public class LlmMonitor {

	private static final DefaultLlmCallObservationConvention DEFAULT_CONVENTION = new DefaultLlmCallObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable LlmCallObservationConvention convention;

	private final LlmResponseExtractors extractors;

	private final TokenCounter tokenCounter;

	private final Clock clock;

	private final LlmMonitorSettings settings;

	private final InvocationObserver invocationObserver;

	private final ModelCardinalityGuard modelGuard;

	private final LlmPricing pricing;

	/**
	 * @param registry where observations go
	 * @param convention a custom convention, or {@code null} for the default one
	 * @param extractors readers of response and chunk types
	 * @param tokenCounter counts output tokens when the provider reports none
	 * @param clock the clock of all timings: use the MeterRegistry's, so durations agree
	 * @param settings slow-call thresholds and token events
	 */
	public LlmMonitor(ObservationRegistry registry, @Nullable LlmCallObservationConvention convention,
			LlmResponseExtractors extractors, TokenCounter tokenCounter, Clock clock, LlmMonitorSettings settings) {
		this.registry = registry;
		this.convention = convention;
		this.extractors = extractors;
		this.tokenCounter = tokenCounter;
		this.clock = clock;
		this.settings = settings;
		this.invocationObserver = new InvocationObserver(registry, null);
		this.modelGuard = new ModelCardinalityGuard(settings.maxModels());
		this.pricing = new LlmPricing(settings.prices());
	}

	/**
	 * Monitors a blocking call; the result is read for usage through the extractors.
	 * Exceptions propagate unchanged.
	 */
	public <T> T call(LlmCallSpec spec, Supplier<T> call) {
		return this.invocationObserver.observeBlocking(starter(spec.withStream(false)), call::get);
	}

	/**
	 * Monitors an asynchronous call to the completion of its stage; the same stage is returned.
	 */
	public <T, S extends CompletionStage<T>> S callAsync(LlmCallSpec spec, Supplier<S> call) {
		return this.invocationObserver.observeAsync(starter(spec.withStream(false)), call::get);
	}

	/**
	 * The LLM call running on this thread, to add span events and attributes to it; empty
	 * outside any monitored LLM call.
	 */
	public Optional<CurrentLlmCall> currentCall() {
		ObservationView observation = this.registry.getCurrentObservation();
		while (observation != null) {
			if (observation instanceof Observation started && started.getContext() instanceof LlmCallContext context) {
				return Optional.of(new CurrentLlmCall(started, context, this.clock, this.settings.contentCapture()));
			}
			observation = observation.getContextView().getParentObservation();
		}
		return Optional.empty();
	}

	/** Starts an observed LLM call of this spec when the returned starter is called. */
	public CallStarter starter(LlmCallSpec spec) {
		return (parent) -> {
			LlmCallContext context = new LlmCallContext(spec.model(), spec.provider(), spec.operation(), spec.stream());
			context.setModelTag(this.modelGuard.tagFor(context.getModel()));
			context.markStarted(this.clock.monotonicTime(), this.clock.wallTime());
			Observation observation = LlmObservationDocumentation.LLM_CALL
				.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
				.parentObservation(parent);
			ObservationStarts.start(observation);
			LlmCall call = new LlmCall(this, context, observation);
			context.put(LlmCall.class, call);
			return call;
		};
	}

	/**
	 * Starts a call of an automatic integration (Spring AI's chat models and chat clients, any
	 * client monitored without code) when the returned starter is called. Inside an LLM call already
	 * in progress (a {@code @MonitoredLlmCall} method, a programmatic call, another integration's
	 * call) it is that call, not a second one: it starts no observation, and the usage, response
	 * model, finish reasons and first token it sees feed the enclosing call where that one saw none
	 * of its own. Elsewhere it starts a call of this spec, as {@link #starter} does.
	 */
	public CallStarter automaticStarter(LlmCallSpec spec) {
		CallStarter ownCall = starter(spec);
		return (parent) -> {
			LlmCall enclosing = enclosingCall(parent);
			// a stream subscribed inside a blocking call: its Reactor context may not carry the call,
			// the thread's open scopes do
			for (Observation.Scope scope = this.registry.getCurrentObservationScope(); enclosing == null
					&& scope != null; scope = scope.getPreviousObservationScope()) {
				enclosing = enclosingCall(scope.getCurrentObservation());
			}
			return (enclosing != null) ? new JoinedLlmCall(this, enclosing, spec.stream()) : ownCall.start(parent);
		};
	}

	/** The nearest LLM call in progress among the observation and its parents. */
	private static @Nullable LlmCall enclosingCall(@Nullable ObservationView observation) {
		ObservationView current = observation;
		while (current != null) {
			if (current.getContextView() instanceof LlmCallContext context) {
				LlmCall call = context.get(LlmCall.class);
				if (call != null && !call.hasEnded()) {
					return call;
				}
			}
			current = current.getContextView().getParentObservation();
		}
		return null;
	}

	public ObservationRegistry registry() {
		return this.registry;
	}

	LlmPricing pricing() {
		return this.pricing;
	}

	ModelCardinalityGuard modelGuard() {
		return this.modelGuard;
	}

	LlmResponseExtractors extractors() {
		return this.extractors;
	}

	TokenCounter tokenCounter() {
		return this.tokenCounter;
	}

	Clock clock() {
		return this.clock;
	}

	LlmMonitorSettings settings() {
		return this.settings;
	}

}
