package io.llmmonitor.call;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.llmmonitor.call.internal.CallStarter;
import io.llmmonitor.call.internal.CallTimeouts;
import io.llmmonitor.call.internal.CardinalityGuard;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.internal.ObservedCall;
import io.llmmonitor.call.internal.ParentScopes;
import io.llmmonitor.cost.LlmPricing;
import io.llmmonitor.error.LlmErrorCategorizer;
import io.llmmonitor.observation.CallStatus;
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
public class LlmMonitor implements AutoCloseable {

	private static final DefaultLlmCallObservationConvention DEFAULT_CONVENTION = new DefaultLlmCallObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable LlmCallObservationConvention convention;

	private final LlmResponseExtractors extractors;

	private final TokenCounter tokenCounter;

	private final Clock clock;

	private final LlmMonitorSettings settings;

	private final InvocationObserver invocationObserver;

	private final CardinalityGuard modelGuard;

	private final CardinalityGuard providerGuard;

	private final CardinalityGuard operationGuard;

	private final CardinalityGuard errorTypeGuard;

	private final LlmPricing pricing;

	private final LlmErrorCategorizer errorCategorizer;

	private final CallTimeouts timeouts;

	private final boolean ownsTimeouts;

	private ParentScopes parentScopes = ParentScopes.ALWAYS;

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
		this(registry, convention, extractors, tokenCounter, clock, settings, LlmErrorCategorizer.DEFAULT);
	}

	/**
	 * @param registry where observations go
	 * @param convention a custom convention, or {@code null} for the default one
	 * @param extractors readers of response and chunk types
	 * @param tokenCounter counts output tokens when the provider reports none
	 * @param clock the clock of all timings: use the MeterRegistry's, so durations agree
	 * @param settings slow-call thresholds and token events
	 * @param errorCategorizer decides the error category of a failed call
	 */
	public LlmMonitor(ObservationRegistry registry, @Nullable LlmCallObservationConvention convention,
			LlmResponseExtractors extractors, TokenCounter tokenCounter, Clock clock, LlmMonitorSettings settings,
			LlmErrorCategorizer errorCategorizer) {
		this(registry, convention, extractors, tokenCounter, clock, settings, errorCategorizer, new CallTimeouts(),
				true);
	}

	/**
	 * @param registry where observations go
	 * @param convention a custom convention, or {@code null} for the default one
	 * @param extractors readers of response and chunk types
	 * @param tokenCounter counts output tokens when the provider reports none
	 * @param clock the clock of all timings: use the MeterRegistry's, so durations agree
	 * @param settings slow-call thresholds and token events
	 * @param errorCategorizer decides the error category of a failed call
	 * @param timeouts bounds the wait of a call for the calls joined into it; its owner closes it
	 */
	public LlmMonitor(ObservationRegistry registry, @Nullable LlmCallObservationConvention convention,
			LlmResponseExtractors extractors, TokenCounter tokenCounter, Clock clock, LlmMonitorSettings settings,
			LlmErrorCategorizer errorCategorizer, CallTimeouts timeouts) {
		this(registry, convention, extractors, tokenCounter, clock, settings, errorCategorizer, timeouts, false);
	}

	private LlmMonitor(ObservationRegistry registry, @Nullable LlmCallObservationConvention convention,
			LlmResponseExtractors extractors, TokenCounter tokenCounter, Clock clock, LlmMonitorSettings settings,
			LlmErrorCategorizer errorCategorizer, CallTimeouts timeouts, boolean ownsTimeouts) {
		this.timeouts = timeouts;
		this.ownsTimeouts = ownsTimeouts;
		this.errorCategorizer = errorCategorizer;
		this.registry = registry;
		this.convention = convention;
		this.extractors = extractors;
		this.tokenCounter = tokenCounter;
		this.clock = clock;
		this.settings = settings;
		this.invocationObserver = new InvocationObserver(registry, null, List.of(),
				LlmMonitorSettings.DEFAULTS.slowRequestThreshold(), timeouts);
		this.modelGuard = new CardinalityGuard("model names", "llm.monitor.max-models", settings.maxModels());
		this.providerGuard = new CardinalityGuard("provider names", "llm.monitor.max-providers",
				settings.tagLimits().providers());
		this.operationGuard = new CardinalityGuard("operation names", "llm.monitor.max-operations",
				settings.tagLimits().operations());
		this.errorTypeGuard = new CardinalityGuard("error types", "llm.monitor.max-error-types",
				settings.tagLimits().errorTypes());
		this.pricing = new LlmPricing(settings.prices());
	}

	/**
	 * Monitors a blocking call; the result is read for usage through the extractors.
	 * Exceptions propagate unchanged.
	 */
	public <T extends @Nullable Object> T call(LlmCallSpec spec, Supplier<T> call) {
		return this.invocationObserver.observeUntilReturn(starter(spec.withStream(false)), call::get);
	}

	/**
	 * Monitors an asynchronous call to the completion of its stage; the same stage is returned.
	 */
	public <T, S extends CompletionStage<T>> S callAsync(LlmCallSpec spec, Supplier<S> call) {
		return this.invocationObserver.observeUntilCompletion(starter(spec.withStream(false)), call::get);
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

	/**
	 * Tells when a call subscribed under a parent observation (from its Reactor context) needs
	 * the parent in scope to start; {@link ParentScopes#ALWAYS} until set. Set before the first call.
	 */
	public void setParentScopes(ParentScopes parentScopes) {
		this.parentScopes = Objects.requireNonNull(parentScopes, "parentScopes");
	}

	/** Starts an observed LLM call of this spec when the returned starter is called. */
	public CallStarter starter(LlmCallSpec spec) {
		return new LlmCallStarter(spec);
	}

	/** Starts calls of one spec; {@link #withStream} gives the starter of the other kind. */
	private final class LlmCallStarter implements CallStarter {

		private final LlmCallSpec spec;

		private @Nullable LlmCallStarter otherKind;

		LlmCallStarter(LlmCallSpec spec) {
			this.spec = spec;
		}

		@Override
		public @Nullable ObservedCall start(@Nullable Observation parent) {
			if (LlmMonitor.this.registry.isNoop()) {
				// nothing would hear of the call: it runs unobserved, at no cost
				return null;
			}
			LlmCallContext context = new LlmCallContext(this.spec.model(), this.spec.provider(), this.spec.operation(),
					this.spec.stream());
			// before the predicates and conventions read it: the parent need not be in scope
			context.setParentObservation(parent);
			Observation observation = LlmObservationDocumentation.LLM_CALL
				.observation(LlmMonitor.this.convention, DEFAULT_CONVENTION, () -> context, LlmMonitor.this.registry)
				.parentObservation(parent);
			if (observation.isNoop()) {
				// an ObservationPredicate disabled the call: nothing would hear of it. Its values take
				// no slot of the tag guards, which only a call that ends gives back.
				return null;
			}
			context.setModelTag(LlmMonitor.this.modelGuard.atStart(context.getModel()));
			context.setProviderTag(LlmMonitor.this.providerGuard.atStart(context.getProvider()));
			context.setOperationTag(LlmMonitor.this.operationGuard.atStart(context.getOperation()));
			context.markStarted(LlmMonitor.this.clock.monotonicTime(), LlmMonitor.this.clock.wallTime());
			ObservationStarts.start(observation);
			LlmCall call = new LlmCall(LlmMonitor.this, context, observation);
			context.put(LlmCall.class, call);
			return call;
		}

		@Override
		public boolean needsParentScope(Observation parent) {
			return LlmMonitor.this.parentScopes.needed(parent);
		}

		@Override
		public CallStarter withStream(boolean stream) {
			if (stream == this.spec.stream()) {
				return this;
			}
			LlmCallStarter other = this.otherKind;
			if (other == null) {
				// a benign race: two threads may each make one
				other = new LlmCallStarter(this.spec.withStream(stream));
				other.otherKind = this;
				this.otherKind = other;
			}
			return other;
		}

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
		return new CallStarter() {

			@Override
			public @Nullable ObservedCall start(@Nullable Observation parent) {
				LlmCall enclosing = enclosingCall(parent);
				// a stream subscribed inside a blocking call: its Reactor context may not carry the
				// call, the thread's open scopes do
				for (Observation.Scope scope = LlmMonitor.this.registry.getCurrentObservationScope(); enclosing == null
						&& scope != null; scope = scope.getPreviousObservationScope()) {
					enclosing = enclosingCall(scope.getCurrentObservation());
				}
				return (enclosing != null && enclosing.joinStarted())
						? new JoinedLlmCall(LlmMonitor.this, enclosing, spec.stream()) : ownCall.start(parent);
			}

			@Override
			public boolean needsParentScope(Observation parent) {
				// the parent is looked at before the thread's scopes, with or without its own
				return ownCall.needsParentScope(parent);
			}

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

	/**
	 * Ends the calls still waiting for the calls joined into them now, as their timeout would,
	 * when this monitor made its own {@link CallTimeouts}; one handed to it is closed by its owner.
	 */
	@Override
	public void close() {
		if (this.ownsTimeouts) {
			this.timeouts.close();
		}
	}

	CallTimeouts timeouts() {
		return this.timeouts;
	}

	LlmPricing pricing() {
		return this.pricing;
	}

	/**
	 * Settles the metric tags of an ended call: a success admits its model, provider and
	 * operation (see {@link CardinalityGuard}), the error type is bounded and the error
	 * categorized.
	 */
	void settleTags(LlmCallContext context, CallStatus status, @Nullable Throwable error) {
		boolean succeeded = status == CallStatus.SUCCESS;
		context.setModelTag(this.modelGuard.atEnd(context.getModel(), succeeded));
		context.setProviderTag(this.providerGuard.atEnd(context.getProvider(), succeeded));
		context.setOperationTag(this.operationGuard.atEnd(context.getOperation(), succeeded));
		if (error != null) {
			context.setErrorTypeTag(this.errorTypeGuard.admit(DefaultLlmCallObservationConvention.errorType(error)));
			if (status == CallStatus.ERROR) {
				context.setErrorCategory(this.errorCategorizer.categorize(error).tagValue());
			}
		}
	}

	/**
	 * The {@code model} tag of this model's calls now (see {@link CardinalityGuard#tagOf}), for
	 * signals about them recorded apart, such as feedback.
	 */
	public String modelTag(String model) {
		return this.modelGuard.tagOf(model);
	}

	/** The {@code provider} tag of this provider's calls now (see {@link #modelTag}). */
	public String providerTag(String provider) {
		return this.providerGuard.tagOf(provider);
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
