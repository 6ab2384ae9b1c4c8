package io.llmmonitor.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.knuddels.jtokkit.api.EncodingType;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.llmmonitor.usage.TokenCounter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream of 200,000 tokens without usage: its tokens are counted while it arrives, exactly as
 * the whole text would count, with a bounded buffer; captured text is cut while it arrives; and
 * what the end counts is a last batch, not the stream.
 */
class LongStreamTests {

	private static final JtokkitTokenCounter TOKENIZER = new JtokkitTokenCounter(EncodingType.CL100K_BASE);

	private static final LlmCallSpec SPEC = LlmCallSpec.chat("gpt-4o", "openai");

	/** Most characters the kept text may hold, whatever the stream's length. */
	private static final int KEPT_TEXT_BOUND = 4 * IncrementalTokenCount.MAX_PENDING;

	private final List<LlmCallContext> stoppedCalls = new CopyOnWriteArrayList<>();

	/** Lengths of the texts handed to the token counter. */
	private final List<Integer> countedLengths = new CopyOnWriteArrayList<>();

	@Test
	void tokensAreCountedWhileTheStreamArrivesAsTheWholeTextCountsWithABoundedBuffer() {
		List<String> chunks = chunksOfText(200_000, 42);
		String whole = String.join("", chunks);
		long wholeTextTokens = TOKENIZER.countTokens(SPEC.model(), whole);
		assertThat(wholeTextTokens).isGreaterThanOrEqualTo(200_000);

		int keptTextCapacity = stream(chunks, LlmMonitorSettings.DEFAULTS);

		LlmCallContext call = onlyCall();
		assertThat(call.getOutputTokens()).isEqualTo(wholeTextTokens);
		assertThat(call.getOutputTokensSource()).isEqualTo(TokenCountSource.TOKENIZER);
		assertThat(whole.length()).isGreaterThan(10 * KEPT_TEXT_BOUND);
		assertThat(keptTextCapacity).isPositive().isLessThan(KEPT_TEXT_BOUND);
		assertThat(this.countedLengths).allSatisfy((length) -> assertThat(length).isLessThan(KEPT_TEXT_BOUND));
	}

	@Test
	void capturedTextIsCutAtItsMaximumLengthWhileItArrives() {
		List<String> chunks = chunksOfText(200_000, 7);
		LlmMonitorSettings settings = LlmMonitorSettings.builder()
			.slowTokenRateThreshold(0)
			.maxTokenEventsPerCall(0)
			.contentCapture(new ContentCapture(true, 1000, List.of()))
			.build();

		int keptTextCapacity = stream(chunks, settings);

		String start = String.join("", chunks).substring(0, 1000);
		assertThat(onlyCall().getOutputMessages())
			.contains(start.replace("\n", "\\n").replace("\t", "\\t") + "…\"")
			.hasSizeLessThan(1300);
		assertThat(keptTextCapacity).isLessThan(KEPT_TEXT_BOUND);
	}

	@Test
	void countingInBatchesAgreesWithCountingTheWholeText() {
		for (EncodingType encoding : List.of(EncodingType.CL100K_BASE, EncodingType.O200K_BASE)) {
			TokenCounter counter = new JtokkitTokenCounter(encoding);
			for (int seed = 0; seed < 5; seed++) {
				List<String> chunks = chunksOfText(20_000, seed);
				IncrementalTokenCount count = new IncrementalTokenCount();
				chunks.forEach((chunk) -> count.append(chunk, counter, "unknown"));

				assertThat(count.total(counter, "unknown"))
					.isEqualTo(counter.countTokens("unknown", String.join("", chunks)));
			}
		}
	}

	@Test
	void aSingleShortTextIsCountedAsItIsWithoutACopy() {
		String answer = "Hello there, friend";
		List<String> counted = new ArrayList<>();
		TokenCounter counter = (model, text) -> {
			counted.add(text);
			return TOKENIZER.countTokens(model, text);
		};
		IncrementalTokenCount count = new IncrementalTokenCount();
		count.append(answer, counter, "unknown");

		assertThat(count.total(counter, "unknown")).isEqualTo(TOKENIZER.countTokens("unknown", answer));
		assertThat(counted).hasSize(1);
		assertThat(counted.get(0)).as("the text counted").isSameAs(answer);
	}

	@Test
	void aFirstChunkKeptAsItIsIsCountedWithTheChunksAfterIt() {
		IncrementalTokenCount count = new IncrementalTokenCount();
		count.append("Hello", TOKENIZER, "unknown");
		count.append(new StringBuilder(" there,"), TOKENIZER, "unknown");
		count.append(" friend", TOKENIZER, "unknown");

		assertThat(count.total(TOKENIZER, "unknown"))
			.isEqualTo(TOKENIZER.countTokens("unknown", "Hello there, friend"));
	}

	@Test
	void aFirstChunkKeptAsItIsIsCountedWithLaterChunksThatCutBatchesAndAreChangedAfterwards() {
		String first = "one two three ".repeat(200);
		StringBuilder second = new StringBuilder("four five six ".repeat(300));
		String whole = first + second;
		IncrementalTokenCount count = new IncrementalTokenCount();
		count.append(first, TOKENIZER, "unknown");
		count.append(second, TOKENIZER, "unknown");
		second.setLength(0);
		second.append("changed by the caller");
		count.append(" seven", TOKENIZER, "unknown");

		assertThat(count.total(TOKENIZER, "unknown")).isEqualTo(TOKENIZER.countTokens("unknown", whole + " seven"));
	}

	@Test
	void textWithoutSpacesIsCutAtTheLimitAndStaysCloseToTheWholeCount() {
		String text = "日本語のテキストは空白なしで続きます。".repeat(5000);
		IncrementalTokenCount count = new IncrementalTokenCount();
		for (int i = 0; i < text.length(); i += 3) {
			count.append(text.substring(i, Math.min(text.length(), i + 3)), TOKENIZER, "unknown");
			assertThat(count.capacity()).isLessThan(KEPT_TEXT_BOUND);
		}

		long whole = TOKENIZER.countTokens("unknown", text);
		assertThat((double) count.total(TOKENIZER, "unknown")).isCloseTo(whole, Percentage.withPercentage(0.1));
	}

	/**
	 * Streams the chunks through a monitor without usage; returns the largest capacity of the text
	 * the call kept while streaming.
	 */
	private int stream(List<String> chunks, LlmMonitorSettings settings) {
		TokenCounter counter = (model, text) -> {
			this.countedLengths.add(text.length());
			return TOKENIZER.countTokens(model, text);
		};
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<LlmCallContext>() {
			@Override
			public void onStop(LlmCallContext context) {
				LongStreamTests.this.stoppedCalls.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof LlmCallContext;
			}
		});
		LlmMonitor monitor = new LlmMonitor(registry, null, new LlmResponseExtractors(List.of()), counter, Clock.SYSTEM,
				settings);
		AtomicInteger keptTextCapacity = new AtomicInteger();
		Flux<String> source = Flux.fromIterable(chunks).doOnEach((signal) -> {
			if (signal.isOnNext()) {
				Observation observation = signal.getContextView().get(ObservationThreadLocalAccessor.KEY);
				LlmCall call = observation.getContext().get(LlmCall.class);
				keptTextCapacity.accumulateAndGet(call.keptTextCapacity(), Math::max);
			}
		});

		assertThat(new ReactiveLlmMonitor(monitor).stream(SPEC, source).count().block()).isEqualTo(chunks.size());
		return keptTextCapacity.get();
	}

	private LlmCallContext onlyCall() {
		assertThat(this.stoppedCalls).hasSize(1);
		return this.stoppedCalls.get(0);
	}

	/**
	 * Prose of at least this many tokens (words, punctuation, numbers, line breaks, double spaces,
	 * accented and CJK words) cut into chunks of 1 to 12 characters, as a model streams it: chunks
	 * end inside words and inside runs of spaces.
	 */
	private static List<String> chunksOfText(int tokens, long seed) {
		String[] words = { "the", "model", "streams", "tokens", "quickly", "naïve", "café", "日本語", "1234567",
				"don't", "it's", "(see", "below)", "--", "e.g.", "https://example.com/a?b=c", "\t", "x" };
		String[] separators = { " ", " ", " ", " ", ", ", ". ", "\n", "\n\n", "  ", " - ", ";\n" };
		Random random = new Random(seed);
		StringBuilder text = new StringBuilder();
		while (TOKENIZER.countTokens(SPEC.model(), text.toString()) < tokens) {
			for (int i = 0; i < tokens / 4; i++) {
				text.append(words[random.nextInt(words.length)]).append(separators[random.nextInt(separators.length)]);
			}
		}
		List<String> chunks = new ArrayList<>();
		for (int i = 0; i < text.length();) {
			int end = Math.min(text.length(), i + 1 + random.nextInt(12));
			chunks.add(text.substring(i, end));
			i = end;
		}
		return chunks;
	}

}
