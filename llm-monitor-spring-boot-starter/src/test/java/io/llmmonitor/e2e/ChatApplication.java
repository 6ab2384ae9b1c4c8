package io.llmmonitor.e2e;

import java.time.Duration;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application as a user writes it: a controller with {@code @MonitoredEndpoint}, a service
 * with {@code @MonitoredLlmCall}, and an extractor for the provider's chunk type.
 */
@SpringBootApplication
class ChatApplication {

	/** A provider chunk: text, and usage on the last one. */
	record CompletionChunk(@Nullable String delta, @Nullable LlmUsage usage) {
	}

	@Bean
	LlmResponseExtractor<CompletionChunk> completionChunkExtractor() {
		return new LlmResponseExtractor<>() {
			@Override
			public Class<CompletionChunk> responseType() {
				return CompletionChunk.class;
			}

			@Override
			public @Nullable CharSequence content(CompletionChunk chunk) {
				return chunk.delta();
			}

			@Override
			public @Nullable LlmUsage usage(CompletionChunk chunk) {
				return chunk.usage();
			}

			@Override
			public @Nullable String finishReason(CompletionChunk chunk) {
				return (chunk.usage() != null) ? "stop" : null;
			}
		};
	}

	@Service
	static class ModelClient {

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Flux<CompletionChunk> stream(String prompt) {
			return Flux.range(0, 8)
				.delayElements(Duration.ofMillis(5))
				.map((i) -> new CompletionChunk(" token" + i, null))
				.concatWith(Mono.just(new CompletionChunk(null, LlmUsage.of(11, 8))));
		}

		@MonitoredLlmCall(model = "claude-sonnet-4", provider = "anthropic")
		public Mono<String> complete(String prompt) {
			return Mono.delay(Duration.ofMillis(10)).thenReturn("A complete answer.");
		}

		@MonitoredLlmCall(model = "gpt-4o", provider = "openai")
		public Mono<String> failing(String prompt) {
			return Mono.error(new IllegalStateException("upstream 429"));
		}

	}

	@RestController
	static class ChatController {

		private final ModelClient client;

		ChatController(ModelClient client) {
			this.client = client;
		}

		@MonitoredEndpoint("chat.stream")
		@GetMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		public Flux<String> stream(@RequestParam String prompt) {
			return this.client.stream(prompt).filter((chunk) -> chunk.delta() != null).map(CompletionChunk::delta);
		}

		@MonitoredEndpoint
		@GetMapping("/chat")
		public Mono<String> chat(@RequestParam String prompt) {
			return this.client.complete(prompt);
		}

		@MonitoredEndpoint("chat.failing")
		@GetMapping("/chat/failing")
		public Mono<String> failing(@RequestParam String prompt) {
			return this.client.failing(prompt).onErrorReturn("fallback");
		}

	}

}
