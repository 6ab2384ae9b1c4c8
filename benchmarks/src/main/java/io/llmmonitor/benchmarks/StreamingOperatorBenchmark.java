package io.llmmonitor.benchmarks;

import java.util.concurrent.TimeUnit;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;

/**
 * Cost of monitoring a token stream: one subscription of a monitored {@code Flux} against the
 * same plain {@code Flux}, for streams of 1, 100 and 10,000 tokens. Divide by {@code tokens} for
 * the cost per token; run with {@code -prof gc} for the allocation per stream.
 * <p>
 * {@code stringTokens}: {@code String} chunks, output tokens counted with the tokenizer at the end.
 * {@code chunksWithUsage}: provider chunks whose last one carries usage, as OpenAI streams with
 * {@code stream_options.include_usage}.
 * <p>
 * Two floors show what any per-token monitoring costs before it does anything:
 * {@code chunksWithUsagePassThrough} adds an operator that only forwards each signal, and
 * {@code chunksWithUsageClockPerChunk} one that also reads {@code System.nanoTime()} per chunk,
 * the least a measurement of the last token's time needs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamingOperatorBenchmark {

	private static final String[] WORDS = { " the", " model", " streams", " tokens", " to", " a", " client", " that",
			" measures", " latency" };

	private static final LlmCallSpec SPEC = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	@Param({ "1", "100", "10000" })
	public int tokens;

	private Flux<String> plainStrings;

	private Flux<String> monitoredStrings;

	private Flux<Chunk> plainChunks;

	private Flux<Chunk> monitoredChunks;

	private Flux<Chunk> passThroughChunks;

	private Flux<Chunk> clockPerChunk;

	/** A provider chunk: text, and usage on the last one. */
	public record Chunk(String text, LlmUsage usage) {
	}

	static final class ChunkExtractor implements LlmResponseExtractor<Chunk> {

		@Override
		public Class<Chunk> responseType() {
			return Chunk.class;
		}

		@Override
		public CharSequence content(Chunk chunk) {
			return chunk.text();
		}

		@Override
		public LlmUsage usage(Chunk chunk) {
			return chunk.usage();
		}

	}

	@Setup
	public void setUp() {
		String[] strings = new String[this.tokens];
		Chunk[] chunks = new Chunk[this.tokens + 1];
		for (int i = 0; i < this.tokens; i++) {
			strings[i] = WORDS[i % WORDS.length];
			chunks[i] = new Chunk(strings[i], null);
		}
		chunks[this.tokens] = new Chunk(null, LlmUsage.of(12, this.tokens));
		ReactiveLlmMonitor monitor = new ReactiveLlmMonitor(Monitors.llmMonitor(
				Monitors.observationRegistry(new SimpleMeterRegistry(), true), new ChunkExtractor()));
		this.plainStrings = Flux.fromArray(strings);
		this.monitoredStrings = monitor.stream(SPEC, Flux.fromArray(strings));
		this.plainChunks = Flux.fromArray(chunks);
		this.monitoredChunks = monitor.stream(SPEC, Flux.fromArray(chunks));
		this.passThroughChunks = Flux.fromArray(chunks).transform(ForwardingOperator.passThrough());
		this.clockPerChunk = Flux.fromArray(chunks).transform(ForwardingOperator.clockPerElement());
	}

	@Benchmark
	public void stringTokensPlain(Blackhole blackhole) {
		this.plainStrings.subscribe(blackhole::consume);
	}

	@Benchmark
	public void stringTokensMonitored(Blackhole blackhole) {
		this.monitoredStrings.subscribe(blackhole::consume);
	}

	@Benchmark
	public void chunksWithUsagePlain(Blackhole blackhole) {
		this.plainChunks.subscribe(blackhole::consume);
	}

	@Benchmark
	public void chunksWithUsagePassThrough(Blackhole blackhole) {
		this.passThroughChunks.subscribe(blackhole::consume);
	}

	@Benchmark
	public void chunksWithUsageClockPerChunk(Blackhole blackhole) {
		this.clockPerChunk.subscribe(blackhole::consume);
	}

	@Benchmark
	public void chunksWithUsageMonitored(Blackhole blackhole) {
		this.monitoredChunks.subscribe(blackhole::consume);
	}

}
