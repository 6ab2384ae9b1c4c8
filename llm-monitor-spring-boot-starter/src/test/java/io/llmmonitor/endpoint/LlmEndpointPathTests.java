package io.llmmonitor.endpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitor;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/llm/{model}} over HTTP, on Tomcat and on Netty, for model names holding
 * slashes, as Hugging Face names do.
 */
class LlmEndpointPathTests {

	private static final String MODEL = "meta-llama/Llama-3.1-8B";

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void onNettyANameWithSlashesIsWrittenAsItIsOrEncoded() throws Exception {
		try (ConfigurableApplicationContext application = start(WebApplicationType.REACTIVE)) {
			String base = callAndGetBase(application);
			assertFound(get(base + MODEL));
			assertFound(get(base + "meta-llama%2FLlama-3.1-8B"));
			assertThat(get(base + "meta-llama").body()).contains("\"model\":\"meta-llama\"");
			assertThat(get(base + "meta-llama/Llama-3.1-70B").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void onTomcatANameWithSlashesIsWrittenAsItIs() throws Exception {
		try (ConfigurableApplicationContext application = start(WebApplicationType.SERVLET)) {
			String base = callAndGetBase(application);
			assertFound(get(base + MODEL));
			assertThat(get(base + "meta-llama").body()).contains("\"model\":\"meta-llama\"");
			assertThat(get(base + "meta-llama/Llama-3.1-70B").statusCode()).isEqualTo(404);
			// Tomcat itself rejects an encoded slash unless its connector lets it through
			assertThat(get(base + "meta-llama%2FLlama-3.1-8B").statusCode()).isEqualTo(400);
		}
	}

	@Test
	void onTomcatAnEncodedSlashWorksOnceTheConnectorLetsItThrough() throws Exception {
		try (ConfigurableApplicationContext application = start(WebApplicationType.SERVLET,
				EncodedSlashPassthrough.class)) {
			assertFound(get(callAndGetBase(application) + "meta-llama%2FLlama-3.1-8B"));
		}
	}

	private static ConfigurableApplicationContext start(WebApplicationType type, Class<?>... more) {
		return new SpringApplicationBuilder(EndpointApplication.class).sources(more)
			.web(type)
			.properties("server.port=0", "management.endpoints.web.exposure.include=llm",
					"management.tracing.sampling.probability=0")
			.run();
	}

	/** Calls {@value #MODEL} and a model named like its first segment; the endpoint's base URI. */
	private static String callAndGetBase(ConfigurableApplicationContext application) {
		LlmMonitor monitor = application.getBean(LlmMonitor.class);
		monitor.call(LlmCallSpec.chat(MODEL, "vllm"), () -> "an answer");
		// the same model served by a second provider: both summaries answer
		monitor.call(LlmCallSpec.chat(MODEL, "ollama"), () -> "an answer");
		monitor.call(LlmCallSpec.chat("meta-llama", "vllm"), () -> "another model");
		return "http://localhost:" + application.getEnvironment().getProperty("local.server.port") + "/actuator/llm/";
	}

	private static void assertFound(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"model\":\"" + MODEL + "\"", "\"provider\":\"vllm\"",
				"\"provider\":\"ollama\"", "\"success\":1");
	}

	private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootApplication
	static class EndpointApplication {

	}

	/** What an application does to accept encoded slashes on Tomcat. */
	@Configuration(proxyBeanMethods = false)
	static class EncodedSlashPassthrough {

		@Bean
		TomcatConnectorCustomizer encodedSlashPassthrough() {
			return (connector) -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
		}

	}

}
