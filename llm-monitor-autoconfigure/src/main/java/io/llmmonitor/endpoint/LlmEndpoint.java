package io.llmmonitor.endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.llmmonitor.docs.LlmMeters;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmObservationDocumentation.LlmCallLowCardinalityKeys;
import io.llmmonitor.observation.SlowCallReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.Selector.Match;

/**
 * {@code /actuator/llm}: a JSON summary of the LLM calls since the application started. In
 * {@code models}, by model, provider and operation: calls by status, error ratio, mean duration,
 * tokens, cost, calls in flight and slow calls. In {@code generation}, by model and provider only:
 * time to first token, time per output token and tokens/s, whose distributions have no
 * {@code operation} tag; reported once beside the operations, never repeated in each of them, so
 * that no reader takes them for one operation's or adds them up.
 * {@code /actuator/llm/{model}} narrows both to one model (a name may hold slashes), with every
 * operation and provider of it. Read from the meter registry: what Prometheus scrapes, without
 * Prometheus.
 */
@Endpoint(id = "llm")
public class LlmEndpoint {

	private final MeterRegistry registry;

	public LlmEndpoint(MeterRegistry registry) {
		this.registry = registry;
	}

	@ReadOperation
	public LlmSummary summary() {
		return summary(null);
	}

	/**
	 * One model, the same shape as the whole summary: a summary for each of its operations and
	 * providers, and its generation figures by provider; {@code null} (404) for a model without
	 * meters. Its name may hold slashes ({@code /actuator/llm/meta-llama/Llama-3.1-8B}), written
	 * as they are or encoded ({@code meta-llama%2FLlama-3.1-8B}): every remaining path segment is
	 * part of the name.
	 */
	@ReadOperation
	public @Nullable LlmSummary model(@Selector(match = Match.ALL_REMAINING) String... model) {
		LlmSummary summary = summary(String.join("/", model));
		return (summary.models().isEmpty() && summary.generation().isEmpty()) ? null : summary;
	}

	private LlmSummary summary(@Nullable String model) {
		return new LlmSummary(models(model), generation(model));
	}

	private List<ModelSummary> models(@Nullable String model) {
		Map<Identity, Accumulator> byIdentity = new LinkedHashMap<>();
		each(this.registry.find(LlmMeters.REQUEST_DURATION.getName()), model, Timer.class, byIdentity, Identity::of,
				Accumulator::new, (accumulator, timer) -> {
					String status = timer.getId().getTag(LlmCallLowCardinalityKeys.STATUS.asString());
					if (status != null) {
						accumulator.calls.merge(status, timer.count(), Long::sum);
					}
					accumulator.duration.add(timer);
				});
		each(this.registry.find(LlmMeters.TOKENS.getName()), model, Counter.class, byIdentity, Identity::of,
				Accumulator::new,
				(accumulator, counter) -> accumulator.tokens.merge(counter.getId().getTag(LlmMeters.Keys.TYPE.asString()),
						Math.round(counter.count()), Long::sum));
		each(this.registry.find(LlmMeters.COST.getName()), model, Counter.class, byIdentity, Identity::of,
				Accumulator::new, (accumulator, counter) -> accumulator.costUsd += counter.count());
		each(this.registry.find(LlmMeters.ACTIVE_REQUESTS.getName()), model, Gauge.class, byIdentity, Identity::of,
				Accumulator::new, (accumulator, gauge) -> accumulator.active += Math.round(gauge.value()));
		each(this.registry.find(LlmMeters.SLOW_REQUESTS.getName()), model, Counter.class, byIdentity, Identity::of,
				Accumulator::new,
				(accumulator, counter) -> accumulator.slow.merge(counter.getId().getTag(LlmMeters.Keys.REASON.asString()),
						Math.round(counter.count()), Long::sum));
		List<ModelSummary> models = new ArrayList<>();
		byIdentity.forEach((identity, accumulator) -> models.add(accumulator.summary(identity)));
		models.sort(Comparator.comparing(ModelSummary::model)
			.thenComparing(ModelSummary::provider)
			.thenComparing(ModelSummary::operation));
		return models;
	}

	/**
	 * The per-token distributions, tagged by model and provider without operation (a custom
	 * convention that adds {@code operation} to them is summed over it here): one figure per model
	 * and provider, whatever operations asked.
	 */
	private List<GenerationSummary> generation(@Nullable String model) {
		Map<Identity, GenerationAccumulator> byIdentity = new LinkedHashMap<>();
		each(this.registry.find(LlmMeters.TIME_TO_FIRST_TOKEN.getName()), model, Timer.class, byIdentity,
				Identity::ofModel, GenerationAccumulator::new,
				(accumulator, timer) -> accumulator.timeToFirstToken.add(timer));
		each(this.registry.find(LlmMeters.TIME_PER_OUTPUT_TOKEN.getName()), model, Timer.class, byIdentity,
				Identity::ofModel, GenerationAccumulator::new,
				(accumulator, timer) -> accumulator.timePerOutputToken.add(timer));
		each(this.registry.find(LlmMeters.TOKEN_GENERATION_RATE.getName()), model, DistributionSummary.class,
				byIdentity, Identity::ofModel, GenerationAccumulator::new,
				(accumulator, summary) -> accumulator.tokenRate.add(summary));
		List<GenerationSummary> generation = new ArrayList<>();
		byIdentity.forEach((identity, accumulator) -> generation.add(new GenerationSummary(identity.model(),
				identity.provider(), accumulator.timeToFirstToken.stats(), accumulator.timePerOutputToken.stats(),
				accumulator.tokenRate.stats())));
		generation.sort(Comparator.comparing(GenerationSummary::model).thenComparing(GenerationSummary::provider));
		return generation;
	}

	/**
	 * Adds each meter of the search (narrowed to the model when there is one) of the given type to
	 * the accumulator of its identity, made on the first meter of that identity.
	 */
	private static <M extends Meter, A> void each(Search search, @Nullable String model, Class<M> type,
			Map<Identity, A> byIdentity, Function<Meter, Identity> identity, Supplier<A> newAccumulator,
			BiConsumer<A, M> add) {
		if (model != null) {
			search = search.tag(LlmCallLowCardinalityKeys.MODEL.asString(), model);
		}
		for (Meter meter : search.meters()) {
			if (type.isInstance(meter)) {
				add.accept(byIdentity.computeIfAbsent(identity.apply(meter), (key) -> newAccumulator.get()),
						type.cast(meter));
			}
		}
	}

	/** Model, provider and operation: other tags (application, status, ...) are summed over. */
	private record Identity(String model, String provider, String operation) {

		static Identity of(Meter meter) {
			return new Identity(tag(meter, LlmCallLowCardinalityKeys.MODEL), tag(meter, LlmCallLowCardinalityKeys.PROVIDER),
					tag(meter, LlmCallLowCardinalityKeys.OPERATION));
		}

		/** Model and provider, operation summed over. */
		static Identity ofModel(Meter meter) {
			return new Identity(tag(meter, LlmCallLowCardinalityKeys.MODEL), tag(meter, LlmCallLowCardinalityKeys.PROVIDER),
					"");
		}

		private static String tag(Meter meter, LlmCallLowCardinalityKeys key) {
			String value = meter.getId().getTag(key.asString());
			return (value != null) ? value : "";
		}

	}

	/**
	 * The summary of every model.
	 *
	 * @param models by model, provider and operation
	 * @param generation how each model and provider generates tokens, all its operations together
	 */
	public record LlmSummary(List<ModelSummary> models, List<GenerationSummary> generation) {
	}

	/**
	 * The calls of one model, provider and operation since the start.
	 *
	 * @param model model tag ({@code other} past {@code llm.monitor.max-models})
	 * @param provider provider tag
	 * @param operation operation tag
	 * @param calls calls by status: {@code success}, {@code error}, {@code cancelled}, then the
	 * statuses of a custom convention
	 * @param errorRatio failed calls over all calls, {@code null} without calls or with statuses of a
	 * custom convention
	 * @param durationSeconds whole calls
	 * @param tokens tokens by type ({@code input}, {@code output})
	 * @param costUsd cost from {@code llm.monitor.pricing}, {@code null} without a price
	 * @param active calls in flight
	 * @param slowCalls slow calls by reason
	 */
	public record ModelSummary(String model, String provider, String operation, Map<String, Long> calls,
			@Nullable Double errorRatio, Stats durationSeconds, Map<String, Long> tokens, @Nullable Double costUsd,
			long active, Map<String, Long> slowCalls) {
	}

	/**
	 * How one model and provider generates tokens since the start, every operation together: the
	 * distributions behind these figures are tagged by model and provider, without operation.
	 *
	 * @param model model tag
	 * @param provider provider tag
	 * @param timeToFirstTokenSeconds streams only
	 * @param timePerOutputTokenSeconds streams of two tokens or more
	 * @param tokensPerSecond output tokens per second after the first token
	 */
	public record GenerationSummary(String model, String provider, Stats timeToFirstTokenSeconds,
			Stats timePerOutputTokenSeconds, Stats tokensPerSecond) {
	}

	/**
	 * Count and mean since the start, and the largest value of the last few minutes (Micrometer's
	 * decaying maximum).
	 *
	 * @param count values recorded
	 * @param mean their mean, {@code null} without values
	 * @param recentMax the largest of the last few minutes
	 */
	public record Stats(long count, @Nullable Double mean, double recentMax) {
	}

	private static final class Accumulator {

		private final Map<String, Long> calls = new LinkedHashMap<>();

		private final StatsAccumulator duration = new StatsAccumulator();

		private final Map<String, Long> tokens = new LinkedHashMap<>();

		private double costUsd;

		private long active;

		private final Map<String, Long> slow = new LinkedHashMap<>();

		ModelSummary summary(Identity identity) {
			Map<String, Long> callsByStatus = new LinkedHashMap<>();
			for (CallStatus status : CallStatus.values()) {
				callsByStatus.put(status.tagValue(), this.calls.getOrDefault(status.tagValue(), 0L));
			}
			// a custom convention's own statuses, after ours: which of them are failures is its secret
			new TreeMap<>(this.calls).forEach(callsByStatus::putIfAbsent);
			long total = callsByStatus.values().stream().mapToLong(Long::longValue).sum();
			Double errorRatio = (total > 0 && callsByStatus.size() == CallStatus.values().length)
					? (double) callsByStatus.getOrDefault(CallStatus.ERROR.tagValue(), 0L) / total : null;
			Map<String, Long> slowCalls = new LinkedHashMap<>();
			for (SlowCallReason reason : SlowCallReason.values()) {
				slowCalls.put(reason.tagValue(), this.slow.getOrDefault(reason.tagValue(), 0L));
			}
			return new ModelSummary(identity.model(), identity.provider(), identity.operation(), callsByStatus,
					errorRatio, this.duration.stats(), this.tokens, (this.costUsd > 0) ? this.costUsd : null, this.active,
					slowCalls);
		}

	}

	private static final class GenerationAccumulator {

		private final StatsAccumulator timeToFirstToken = new StatsAccumulator();

		private final StatsAccumulator timePerOutputToken = new StatsAccumulator();

		private final StatsAccumulator tokenRate = new StatsAccumulator();

	}

	private static final class StatsAccumulator {

		private long count;

		private double total;

		private double max;

		void add(Timer timer) {
			add(timer.count(), timer.totalTime(TimeUnit.SECONDS), timer.max(TimeUnit.SECONDS));
		}

		void add(DistributionSummary summary) {
			add(summary.count(), summary.totalAmount(), summary.max());
		}

		private void add(long count, double total, double max) {
			this.count += count;
			this.total += total;
			this.max = Math.max(this.max, max);
		}

		Stats stats() {
			return new Stats(this.count, (this.count > 0) ? this.total / this.count : null, this.max);
		}

	}

}
