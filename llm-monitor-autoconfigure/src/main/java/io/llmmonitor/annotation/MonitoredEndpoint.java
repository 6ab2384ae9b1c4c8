package io.llmmonitor.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Times a business endpoint ({@code llm_endpoint_duration_seconds}) and opens a span that the
 * LLM calls made inside it become children of. Reactive and asynchronous returns are timed to
 * completion.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface MonitoredEndpoint {

	/**
	 * Endpoint name, used as tag and span name. Defaults to {@code ClassName.method}.
	 */
	String value() default "";

}
