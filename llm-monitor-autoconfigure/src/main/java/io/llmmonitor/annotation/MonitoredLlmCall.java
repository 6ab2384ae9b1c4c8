package io.llmmonitor.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a Spring bean method that calls an LLM. Each invocation becomes one observation: the
 * {@code llm_*} metrics and a GenAI client span named {@code "{operation} {model}"}.
 * <p>
 * Plain return values are timed to method return; {@code CompletionStage}, {@code Mono} and
 * {@code Flux} returns are timed to completion. A {@code Flux} is treated as a token stream:
 * time to first token, time per output token and tokens per second are measured on it.
 * <p>
 * Attribute values may use property placeholders, e.g. {@code model = "${app.llm.model}"}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MonitoredLlmCall {

	/**
	 * Requested model, e.g. {@code gpt-4o}. When empty, the model reported in the response is
	 * used, or {@code unknown}.
	 */
	String model() default "";

	/**
	 * Provider of the model, e.g. {@code openai}, {@code anthropic}, {@code vllm}. When empty,
	 * {@code unknown}.
	 */
	String provider() default "";

	/**
	 * GenAI operation name: {@code chat}, {@code text_completion}, {@code embeddings}, ...
	 */
	String operation() default "chat";

}
