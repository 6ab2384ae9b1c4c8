package io.llmmonitor.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sample.llm.base-url} and {@code sample.llm.api-key} point the client at another
 * OpenAI-compatible server: here a second instance serving only its simulator.
 */
class ExternalProviderTests {

	private final List<ConfigurableApplicationContext> applications = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void talksToAnyOpenAiCompatibleServer() {
		List<String> authorizations = new CopyOnWriteArrayList<>();
		SpringApplication providerApplication = new SpringApplication(SampleApplication.class);
		providerApplication.addInitializers((context) -> context.getBeanFactory()
			.registerSingleton("authorizationRecorder", (WebFilter) (exchange, chain) -> {
				authorizations.add(String.valueOf(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION)));
				return chain.filter(exchange);
			}));
		ConfigurableApplicationContext provider = start(providerApplication, "--sample.simulator.error-rate=0",
				"--sample.simulator.stream-abort-rate=0", "--sample.simulator.slow-rate=0",
				"--sample.simulator.truncation-rate=0", "--sample.simulator.refusal-rate=0",
				"--sample.simulator.empty-rate=0", "--sample.simulator.max-tokens=30");
		ConfigurableApplicationContext app = start(new SpringApplication(SampleApplication.class),
				"--sample.simulator.enabled=false", "--sample.llm.provider=vllm",
				"--sample.llm.base-url=http://127.0.0.1:" + port(provider) + "/",
				"--sample.llm.api-key=test-key");

		List<String> tokens = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port(app))
			.responseTimeout(Duration.ofSeconds(30))
			.build()
			.get()
			.uri("/api/chat/stream?model=llama-3.1-8b-sim&prompt=hi")
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody()
			.collectList()
			.block(Duration.ofSeconds(30));

		assertThat(tokens).isNotEmpty();
		assertThat(authorizations).contains("Bearer test-key");
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		assertThat(meters.get("llm.request.duration").tags("provider", "vllm", "model", "llama-3.1-8b-sim").timer().count())
			.isEqualTo(1);
		assertThat(meters.get("llm.tokens").tags("provider", "vllm", "type", "output").counter().count())
			.isEqualTo(tokens.size());
	}

	private ConfigurableApplicationContext start(SpringApplication application, String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--server.port=0";
		all[1] = "--sample.demo-traffic.enabled=false";
		System.arraycopy(args, 0, all, 2, args.length);
		ConfigurableApplicationContext context = application.run(all);
		this.applications.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
