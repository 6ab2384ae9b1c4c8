package io.llmmonitor.reactive;

import java.time.Duration;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.CallStatus;
import io.llmmonitor.observation.LlmCallContext;
import io.llmmonitor.support.Chunk;
import io.llmmonitor.support.TestMonitors;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An extractor that throws costs the figure it failed to read, not the others of the element: a
 * broken {@code usage()} or {@code finishReason()} still lets the text time the stream.
 */
class FailingExtractorTests {

	private static final LlmCallSpec STREAM = new LlmCallSpec("gpt-4o", "openai", "chat", true);

	@Test
	void aUsageThatThrowsLeavesTheContentTimingAndModelOfEachChunk() {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new BrokenUsage());

		new ReactiveLlmMonitor(monitors.monitor)
			.stream(STREAM, Flux.just(Chunk.text("Hello"), Chunk.text(" there"), Chunk.usage(12, 2)))
			.blockLast(Duration.ofSeconds(5));

		LlmCallContext call = monitors.onlyCall();
		assertThat(call.getStatus()).isEqualTo(CallStatus.SUCCESS);
		assertThat(call.getContentChunks()).isEqualTo(2);
		assertThat(call.getTimeToFirstToken()).isNotNull();
		assertThat(call.getResponseModel()).isEqualTo("gpt-4o-2024-08-06");
		assertThat(call.getFinishReasons()).containsExactly("stop");
		// counted by the tokenizer instead: "Hello", " there"
		assertThat(call.getOutputTokens()).isEqualTo(2);
	}

	@Test
	void aContentThatThrowsLeavesTheUsageOfTheLastChunk() {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new BrokenContent());

		new ReactiveLlmMonitor(monitors.monitor)
			.stream(STREAM, Flux.just(Chunk.text("Hello"), Chunk.text(" there"), Chunk.usage(12, 2)))
			.blockLast(Duration.ofSeconds(5));

		LlmCallContext call = monitors.onlyCall();
		assertThat(call.getInputTokens()).isEqualTo(12);
		assertThat(call.getOutputTokens()).isEqualTo(2);
	}

	/** Reads {@link Chunk}s as {@link Chunk.Extractor} does; each subclass breaks one field. */
	abstract static class ChunkReader implements io.llmmonitor.usage.LlmResponseExtractor<Chunk> {

		private final Chunk.Extractor chunks = new Chunk.Extractor();

		@Override
		public Class<Chunk> responseType() {
			return Chunk.class;
		}

		@Override
		public @Nullable CharSequence content(Chunk chunk) {
			return this.chunks.content(chunk);
		}

		@Override
		public @Nullable LlmUsage usage(Chunk chunk) {
			return this.chunks.usage(chunk);
		}

		@Override
		public @Nullable String responseModel(Chunk chunk) {
			return this.chunks.responseModel(chunk);
		}

		@Override
		public @Nullable String finishReason(Chunk chunk) {
			return this.chunks.finishReason(chunk);
		}

	}

	static final class BrokenUsage extends ChunkReader {

		@Override
		public @Nullable LlmUsage usage(Chunk chunk) {
			throw new IllegalStateException("usage field malformed");
		}

	}

	static final class BrokenContent extends ChunkReader {

		@Override
		public @Nullable CharSequence content(Chunk chunk) {
			throw new IllegalStateException("content field malformed");
		}

	}

}
