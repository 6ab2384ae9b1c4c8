package io.llmmonitor.autoconfigure;

import io.llmmonitor.call.internal.CallTimeouts;
import io.llmmonitor.call.internal.DeferredReturnValueObserver;
import io.llmmonitor.call.EndpointMonitor;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.internal.ParentScopes;
import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.ReactiveReturnValueObserver;
import io.llmmonitor.cost.LlmPriceTable;
import io.llmmonitor.error.LlmErrorCategorizer;
import io.llmmonitor.error.LlmErrorClassifier;
import io.llmmonitor.observation.EndpointObservationConvention;
import io.llmmonitor.observation.LlmCallObservationConvention;
import io.llmmonitor.reactive.ReactiveLlmMonitor;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.llmmonitor.usage.JtokkitTokenCounter;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmResponseExtractors;
import io.llmmonitor.usage.TokenCounter;
import io.llmmonitor.web.WebDeferredReturnValueObserver;
import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;

/**
 * The core of llm-monitor: the monitors that start LLM call and endpoint observations, the
 * response extractors, the token counter and the price table. Needs an
 * {@link ObservationRegistry}, which Spring Boot's actuator provides; switched off by
 * {@code llm.monitor.enabled=false}.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "llm.monitor.enabled", matchIfMissing = true)
@ConditionalOnBean(ObservationRegistry.class)
@EnableConfigurationProperties(LlmMonitorProperties.class)
public final class LlmMonitorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TokenCounter llmTokenCounter(LlmMonitorProperties properties) {
		return new JtokkitTokenCounter(properties.getTokenizer().getDefaultEncoding());
	}

	@Bean
	@ConditionalOnMissingBean
	LlmResponseExtractors llmResponseExtractors(ObjectProvider<LlmResponseExtractor<?>> extractors) {
		return new LlmResponseExtractors(extractors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	LlmPriceTable llmPriceTable(LlmMonitorProperties properties) {
		return properties.toPriceTable();
	}

	/** The application's {@link LlmErrorClassifier} beans, in order, before the built-in rules. */
	@Bean
	@ConditionalOnMissingBean
	LlmErrorCategorizer llmErrorCategorizer(ObjectProvider<LlmErrorClassifier> classifiers) {
		return new LlmErrorCategorizer(classifiers.orderedStream().toList());
	}

	/**
	 * The bounds on the waits of calls (for the calls joined into them, for the first subscription
	 * of a reactive value), closed with the context: the calls still waiting then end as on
	 * timeout, and its thread stops.
	 */
	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CallTimeouts llmCallTimeouts() {
		return new CallTimeouts();
	}

	/**
	 * Ends the calls still waiting as the context closes, before Spring Boot closes the meter
	 * registries (on the same event) and before any bean is destroyed: their ends are recorded.
	 */
	@Bean
	static CallTimeoutsCloser llmCallTimeoutsCloser(ApplicationContext context,
			ObjectProvider<CallTimeouts> timeouts) {
		return new CallTimeoutsCloser(context, timeouts);
	}

	/** Closes the {@link CallTimeouts} of its own context first as that context closes. */
	static final class CallTimeoutsCloser implements ApplicationListener<ContextClosedEvent>, Ordered {

		private final ApplicationContext context;

		private final ObjectProvider<CallTimeouts> timeouts;

		CallTimeoutsCloser(ApplicationContext context, ObjectProvider<CallTimeouts> timeouts) {
			this.context = context;
			this.timeouts = timeouts;
		}

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			if (event.getApplicationContext() == this.context) {
				this.timeouts.ifUnique(CallTimeouts::close);
			}
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	@Bean
	@ConditionalOnMissingBean
	LlmMonitor llmMonitor(ObservationRegistry observationRegistry,
			ObjectProvider<LlmCallObservationConvention> convention, LlmResponseExtractors extractors,
			TokenCounter tokenCounter, ObjectProvider<Clock> clock, LlmPriceTable priceTable,
			LlmMonitorProperties properties, LlmErrorCategorizer errorCategorizer, CallTimeouts timeouts,
			ObjectProvider<ParentScopes> parentScopes) {
		LlmMonitor monitor = new LlmMonitor(observationRegistry, convention.getIfUnique(), extractors, tokenCounter,
				clock.getIfUnique(() -> Clock.SYSTEM), properties.toSettings().toBuilder().prices(priceTable).build(),
				errorCategorizer, timeouts);
		parentScopes.ifUnique(monitor::setParentScopes);
		return monitor;
	}

	@Bean
	@ConditionalOnMissingBean
	EndpointMonitor llmEndpointMonitor(ObservationRegistry observationRegistry,
			ObjectProvider<EndpointObservationConvention> convention, LlmMonitorProperties properties,
			ObjectProvider<ParentScopes> parentScopes) {
		EndpointMonitor monitor = new EndpointMonitor(observationRegistry, convention.getIfUnique(),
				properties.getMaxEndpoints());
		parentScopes.ifUnique(monitor::setParentScopes);
		return monitor;
	}

	@Bean
	@ConditionalOnMissingBean
	InvocationObserver llmInvocationObserver(ObservationRegistry observationRegistry,
			ObjectProvider<ReactiveReturnValueObserver> reactiveReturnValueObserver,
			ObjectProvider<DeferredReturnValueObserver> deferredReturnValueObservers, LlmMonitorProperties properties,
			CallTimeouts timeouts) {
		return new InvocationObserver(observationRegistry, reactiveReturnValueObserver.getIfUnique(),
				deferredReturnValueObservers.orderedStream().toList(), properties.getSlowRequestThreshold(), timeouts);
	}

	/**
	 * The former names of renamed beans as aliases, where the application has not taken them;
	 * {@code static}: a registry post-processor, made before any configuration.
	 */
	@Bean
	static RenamedBeanAliases llmRenamedBeanAliases() {
		return new RenamedBeanAliases();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.web.context.request.async.WebAsyncManager")
	static class WebConfiguration {

		// the former name, deprecated, as an alias: RenamedBeanAliases
		@Bean
		@ConditionalOnMissingBean
		WebDeferredReturnValueObserver llmWebDeferredReturnValueObserver() {
			return new WebDeferredReturnValueObserver();
		}

	}

	/**
	 * Isolates the application's observation handlers from LLM calls' handlers: one that throws
	 * cannot keep the call's timer, long task timer or span from closing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationHandlerGroup")
	static class HandlerIsolationConfiguration {

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		static IsolatedObservationHandlerGroup llmIsolatedObservationHandlerGroup(ResourceLoader resourceLoader) {
			return new IsolatedObservationHandlerGroup(resourceLoader.getClassLoader());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Flux.class)
	static class ReactorConfiguration {

		// the former name, deprecated, as an alias: RenamedBeanAliases
		@Bean
		@ConditionalOnMissingBean
		ReactiveReturnValueObserver llmReactiveReturnValueObserver() {
			return new ReactorReturnValueObserver();
		}

		@Bean
		@ConditionalOnMissingBean
		ReactiveLlmMonitor reactiveLlmMonitor(LlmMonitor llmMonitor) {
			return new ReactiveLlmMonitor(llmMonitor);
		}

	}

}
