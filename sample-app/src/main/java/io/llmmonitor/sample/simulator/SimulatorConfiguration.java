package io.llmmonitor.sample.simulator;

import io.llmmonitor.sample.openai.OpenAiApi;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves the simulated models unless {@code sample.simulator.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SimulatorProperties.class)
@ConditionalOnBooleanProperty(name = "sample.simulator.enabled", matchIfMissing = true)
class SimulatorConfiguration {

	@Bean
	SimulatedModelServer simulatedModelServer(SimulatorProperties properties, JsonMapper jsonMapper) {
		return new SimulatedModelServer(properties, jsonMapper);
	}

	@Bean
	RouterFunction<ServerResponse> simulatedModelRoutes(SimulatedModelServer server) {
		return RouterFunctions.route(RequestPredicates.POST(OpenAiApi.CHAT_COMPLETIONS_PATH), server::chatCompletions);
	}

}
