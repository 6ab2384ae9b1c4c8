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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
 * <p>
 * {@code decodedChunks}: the same chunks decoded from OpenAI's streaming JSON one by one, as a
 * {@code WebClient} stream of a provider's chunks does before any monitoring sees them.
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

	private Flux<Chunk> plainDecodedChunks;

	private Flux<Chunk> monitoredDecodedChunks;

	private Flux<Chunk> passThroughDecodedChunks;

	private Flux<Chunk> clockPerDecodedChunk;

	private static final JsonMapper JSON = JsonMapper.builder().build();

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
		String[] json = new String[this.tokens + 1];
		for (int i = 0; i < this.tokens; i++) {
			json[i] = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1763856000,"
					+ "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
					+ strings[i] + "\"},\"finish_reason\":null}]}";
		}
		json[this.tokens] = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1763856000,"
				+ "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
				+ "\"completion_tokens\":" + this.tokens + "}}";
		this.plainDecodedChunks = Flux.fromArray(json).map(StreamingOperatorBenchmark::decode);
		this.monitoredDecodedChunks = monitor.stream(SPEC,
				Flux.fromArray(json).map(StreamingOperatorBenchmark::decode));
		this.passThroughDecodedChunks = Flux.fromArray(json)
			.map(StreamingOperatorBenchmark::decode)
			.transform(ForwardingOperator.passThrough());
		this.clockPerDecodedChunk = Flux.fromArray(json)
			.map(StreamingOperatorBenchmark::decode)
			.transform(ForwardingOperator.clockPerElement());
	}

	/** One OpenAI streaming chunk: its text, and the usage of the last one. */
	static Chunk decode(String json) {
		JsonNode chunk = JSON.readTree(json);
		JsonNode usage = chunk.path("usage");
		return new Chunk(chunk.path("choices").path(0).path("delta").path("content").asString(null),
				usage.isObject() ? LlmUsage.of(usage.path("prompt_tokens").asInt(),
						usage.path("completion_tokens").asInt()) : null);
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

	@Benchmark
	public void decodedChunksPlain(Blackhole blackhole) {
		this.plainDecodedChunks.subscribe(blackhole::consume);
	}

	@Benchmark
	public void decodedChunksMonitored(Blackhole blackhole) {
		this.monitoredDecodedChunks.subscribe(blackhole::consume);
	}

	@Benchmark
	public void decodedChunksPassThrough(Blackhole blackhole) {
		this.passThroughDecodedChunks.subscribe(blackhole::consume);
	}

	@Benchmark
	public void decodedChunksClockPerChunk(Blackhole blackhole) {
		this.clockPerDecodedChunk.subscribe(blackhole::consume);
	}

}
