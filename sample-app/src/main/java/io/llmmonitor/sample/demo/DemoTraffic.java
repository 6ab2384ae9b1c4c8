package io.llmmonitor.sample.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.llmmonitor.sample.chat.ChatController.ChatAnswer;
import io.llmmonitor.sample.chat.ChatController.ChatQuestion;
import io.llmmonitor.sample.chat.FeedbackController.Rating;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Sends steady mixed traffic (streaming and not, several models) to the application's own chat
 * API over HTTP, so that the whole trace (HTTP server, endpoint, LLM call, HTTP client, model
 * server) and every metric exist. Logs its progress.
 */
public class DemoTraffic implements DisposableBean {

	private static final Log logger = LogFactory.getLog(DemoTraffic.class);

	private static final List<String> PROMPTS = List.of("Summarize the release notes", "Explain time to first token",
			"Write a haiku about latency", "What is a histogram bucket?", "Translate 'observability' to French");

	private final DemoTrafficProperties properties;

	private final WebClient.Builder webClientBuilder;

	private final Disposable.Composite running = Disposables.composite();

	private final AtomicLong started = new AtomicLong();

	private final AtomicLong streaming = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicInteger inFlight = new AtomicInteger();

	public DemoTraffic(DemoTrafficProperties properties, WebClient.Builder webClientBuilder) {
		this.properties = properties;
		this.webClientBuilder = webClientBuilder;
	}

	@EventListener
	public void start(WebServerInitializedEvent event) {
		if (event.getApplicationContext().getServerNamespace() != null) {
			return;
		}
		WebClient client = this.webClientBuilder.clone().baseUrl("http://127.0.0.1:" + event.getWebServer().getPort()).build();
		Duration period = Duration.ofNanos(Math.round(1e9 / this.properties.getRequestsPerSecond()));
		logger.info(String.format(Locale.ROOT, "Demo traffic: %.1f requests/s over %s, %.0f%% streaming",
				this.properties.getRequestsPerSecond(), this.properties.getModels(),
				this.properties.getStreamingShare() * 100));
		this.running.add(Flux.interval(period)
			.onBackpressureDrop()
			.filter((tick) -> this.inFlight.get() < this.properties.getMaxConcurrency())
			.flatMap((tick) -> oneRequest(client), this.properties.getMaxConcurrency())
			.subscribe());
		this.running.add(Flux.interval(Duration.ofSeconds(this.properties.getProgressIntervalSeconds()))
			.subscribe((tick) -> logger.info(String.format(Locale.ROOT,
					"Demo traffic: %d requests sent (%d streaming), %d failed, %d in flight", this.started.get(),
					this.streaming.get(), this.failed.get(), this.inFlight.get()))));
	}

	private Mono<Void> oneRequest(WebClient client) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String model = this.properties.getModels().get(random.nextInt(this.properties.getModels().size()));
		String prompt = PROMPTS.get(random.nextInt(PROMPTS.size()));
		boolean stream = random.nextDouble() < this.properties.getStreamingShare();
		this.started.incrementAndGet();
		if (stream) {
			this.streaming.incrementAndGet();
		}
		this.inFlight.incrementAndGet();
		Mono<?> request = stream
				? client.get()
					.uri((uri) -> uri.path("/api/chat/stream").queryParam("model", model).queryParam("prompt", prompt).build())
					.accept(MediaType.TEXT_EVENT_STREAM)
					.retrieve()
					.bodyToFlux(String.class)
					.then()
				: client.post()
					.uri("/api/chat")
					.bodyValue(new ChatQuestion(model, prompt))
					.retrieve()
					.bodyToMono(ChatAnswer.class)
					.flatMap((answer) -> rate(client, answer));
		return request.doOnError((ex) -> this.failed.incrementAndGet())
			.doFinally((signal) -> this.inFlight.decrementAndGet())
			.onErrorResume((ex) -> Mono.empty())
			.then();
	}

	/** Rates a share of the answers as a user would: mostly a thumbs up. */
	private Mono<?> rate(WebClient client, ChatAnswer answer) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		if (answer.traceId() == null || random.nextDouble() >= this.properties.getFeedbackShare()) {
			return Mono.empty();
		}
		double score = (random.nextDouble() < 0.8) ? 1 : 0;
		return client.post()
			.uri("/api/feedback")
			.bodyValue(new Rating(answer.traceId(), score, null))
			.retrieve()
			.toBodilessEntity();
	}

	/** Stops sending before the web server shuts down, so that shutdown is not kept busy. */
	@EventListener(ContextClosedEvent.class)
	public void stop() {
		this.running.dispose();
	}

	@Override
	public void destroy() {
		stop();
	}

}
