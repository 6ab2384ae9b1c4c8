package io.llmmonitor.kotlin

import io.llmmonitor.annotation.MonitoredEndpoint
import io.llmmonitor.annotation.MonitoredLlmCall
import io.llmmonitor.autoconfigure.LlmMonitorAopAutoConfiguration
import io.llmmonitor.autoconfigure.LlmMonitorAutoConfiguration
import io.llmmonitor.autoconfigure.LlmMonitorMetricsAutoConfiguration
import io.llmmonitor.metrics.LlmMetricsObservationHandler
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Timer
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationHandler
import io.llmmonitor.observation.EndpointContext
import io.llmmonitor.observation.LlmCallContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatIllegalStateException
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration
import org.springframework.boot.test.context.assertj.AssertableApplicationContext
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

private const val CHUNK_DELAY_MILLIS = 40L

/** "Hello", " there", ",", " friend" in o200k_base, the encoding of gpt-4o-mini. */
private val CHUNKS = listOf("Hello", " there", ",", " friend")

/**
 * `@MonitoredLlmCall` on Kotlin `suspend` functions (Spring hands the aspect a `Mono`) and on
 * functions returning a `Flow` (adapted through Spring's `ReactiveAdapterRegistry`): each is timed
 * to completion, a `Flow` is a stream.
 */
class KotlinMonitoringTests {

	private val runner = ApplicationContextRunner()
		.withConfiguration(
			AutoConfigurations.of(
				ObservationAutoConfiguration::class.java, MetricsAutoConfiguration::class.java,
				CompositeMeterRegistryAutoConfiguration::class.java, SimpleMetricsExportAutoConfiguration::class.java,
				AopAutoConfiguration::class.java, LlmMonitorAutoConfiguration::class.java,
				LlmMonitorMetricsAutoConfiguration::class.java, LlmMonitorAopAutoConfiguration::class.java,
			),
		)
		.withUserConfiguration(KotlinBeans::class.java)

	@Test
	fun `a suspend function is timed until it returns`() {
		runner.run { context ->
			val answer = runBlocking { context.getBean(KotlinModels::class.java).complete("hi") }

			assertThat(answer).isEqualTo("Hello there, friend")
			val timer = requestTimer(context, "success")
			assertThat(timer.count()).isEqualTo(1)
			assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(2.0 * CHUNK_DELAY_MILLIS)
			assertThat(outputTokens(context)).isEqualTo(4.0)
			assertThat(meters(context).find(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer()).isNull()
			assertThat(activeRequests(context)).isZero()
		}
	}

	@Test
	fun `a failing suspend function is recorded as an error`() {
		runner.run { context ->
			assertThatIllegalStateException()
				.isThrownBy { runBlocking { context.getBean(KotlinModels::class.java).fail() } }
				.withMessage("overloaded")

			val timer = requestTimer(context, "error")
			assertThat(timer.id.getTag("error_type")).isEqualTo("IllegalStateException")
			assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(CHUNK_DELAY_MILLIS.toDouble())
			assertThat(activeRequests(context)).isZero()
		}
	}

	@Test
	fun `a Flow is a stream timed until it completes`() {
		runner.run { context ->
			val stream = context.getBean(KotlinModels::class.java).stream("hi")
			assertThat(meters(context).find("llm.request.duration").timer()).isNull()

			assertThat(runBlocking { stream.toList() }).isEqualTo(CHUNKS)

			val timer = requestTimer(context, "success")
			assertThat(timer.count()).isEqualTo(1)
			assertThat(timer.totalTime(TimeUnit.MILLISECONDS))
				.isGreaterThanOrEqualTo(CHUNKS.size.toDouble() * CHUNK_DELAY_MILLIS)
			assertThat(meters(context).get(LlmMetricsObservationHandler.TIME_TO_FIRST_TOKEN).timer().count())
				.isEqualTo(1)
			assertThat(meters(context).get(LlmMetricsObservationHandler.TOKEN_GENERATION_RATE).summary().count())
				.isEqualTo(1)
			assertThat(outputTokens(context)).isEqualTo(4.0)
			assertThat(activeRequests(context)).isZero()
		}
	}

	@Test
	fun `a suspend endpoint is timed until it returns, with its LLM calls inside`() {
		runner.run { context ->
			val answer = runBlocking { context.getBean(KotlinEndpoint::class.java).chat() }

			assertThat(answer).isEqualTo("Hello there, friend")
			val endpoint = meters(context).get("llm.endpoint.duration").tag("endpoint", "kotlin.chat").timer()
			assertThat(endpoint.count()).isEqualTo(1)
			// its own delay, then the LLM call's
			assertThat(endpoint.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(3.0 * CHUNK_DELAY_MILLIS)
			assertThat(endpoint.totalTime(TimeUnit.MILLISECONDS))
				.isGreaterThanOrEqualTo(requestTimer(context, "success").totalTime(TimeUnit.MILLISECONDS))
			// the coroutine's Reactor context carries the endpoint to the LLM call
			assertThat(context.getBean(LlmCallParents::class.java).parents).containsExactly("kotlin.chat")
		}
	}

	private fun requestTimer(context: AssertableApplicationContext, status: String): Timer =
		meters(context).get("llm.request.duration").tag("status", status).timer()

	private fun outputTokens(context: AssertableApplicationContext): Double =
		meters(context).get(LlmMetricsObservationHandler.TOKENS).tag("type", "output").counter().count()

	private fun activeRequests(context: AssertableApplicationContext): Double =
		meters(context).get(LlmMetricsObservationHandler.ACTIVE_REQUESTS).gauge().value()

	private fun meters(context: AssertableApplicationContext): MeterRegistry = context.getBean(MeterRegistry::class.java)

}

@Configuration(proxyBeanMethods = false)
open class KotlinBeans {

	@Bean
	open fun kotlinModels(): KotlinModels = KotlinModels()

	@Bean
	open fun kotlinEndpoint(models: KotlinModels): KotlinEndpoint = KotlinEndpoint(models)

	@Bean
	open fun llmCallParents(): LlmCallParents = LlmCallParents()

}

/** The endpoint each LLM call ran in, by name. */
class LlmCallParents : ObservationHandler<LlmCallContext> {

	val parents: MutableList<String?> = CopyOnWriteArrayList()

	override fun onStop(context: LlmCallContext) {
		parents.add((context.parentObservation?.contextView as? EndpointContext)?.endpoint)
	}

	override fun supportsContext(context: Observation.Context): Boolean = context is LlmCallContext

}

open class KotlinModels {

	@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
	open suspend fun complete(prompt: String): String {
		delay(2 * CHUNK_DELAY_MILLIS)
		return CHUNKS.joinToString("")
	}

	@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
	open suspend fun fail(): String {
		delay(CHUNK_DELAY_MILLIS)
		throw IllegalStateException("overloaded")
	}

	@MonitoredLlmCall(model = "gpt-4o-mini", provider = "openai")
	open fun stream(prompt: String): Flow<String> = flow {
		for (chunk in CHUNKS) {
			delay(CHUNK_DELAY_MILLIS)
			emit(chunk)
		}
	}

}

open class KotlinEndpoint(private val models: KotlinModels) {

	@MonitoredEndpoint("kotlin.chat")
	open suspend fun chat(): String {
		delay(CHUNK_DELAY_MILLIS)
		return models.complete("hi")
	}

}
