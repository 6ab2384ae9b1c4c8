package io.llmmonitor.error;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.llmmonitor.observation.ErrorTypes;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The built-in classification of failed LLM calls. A timeout anywhere in the cause chain is a
 * {@link ErrorCategory#TIMEOUT} (the rule of {@link ErrorTypes}, so that {@code error_type} and
 * the category agree); otherwise the error and then its causes are read, outermost first, until
 * one tells:
 * <ul>
 * <li>the OpenAI Java SDK's {@code com.openai.errors} exceptions: the error {@code code}
 * ({@code context_length_exceeded}, {@code content_filter}), else the HTTP status;</li>
 * <li>LangChain4j's {@code dev.langchain4j.exception} types ({@code RateLimitException},
 * {@code AuthenticationException}, {@code ContentFilteredException}, ...);</li>
 * <li>Spring's {@code RestClientResponseException} (and so {@code HttpStatusCodeException}) and
 * {@code WebClientResponseException}: the status and the response body;</li>
 * <li>Spring AI's {@code TransientAiException} and {@code NonTransientAiException} (by name): the
 * status their message starts with ({@code "429 - {...}"});</li>
 * <li>connection and I/O failures of {@code java.net}, TLS, OkHttp and Reactor Netty:
 * {@link ErrorCategory#NETWORK}.</li>
 * </ul>
 * A status maps as {@link #ofStatus} says; the provider's error text first singles out context
 * length ({@code context_length_exceeded}, "maximum context length", "prompt is too long"),
 * content filtering ({@code content_filter}, {@code content_policy_violation}) and overload
 * (Anthropic's {@code overloaded_error}, a server error). The optional libraries are read only
 * when they are on the class path. Anything else is {@link ErrorCategory#OTHER}.
 */
public class DefaultLlmErrorClassifier implements LlmErrorClassifier {

	/** Causes looked at, at most: a cycle or a very deep chain ends the search. */
	private static final int MAX_DEPTH = 16;

	private static final String[] CONTEXT_LENGTH_TEXTS = { "context_length_exceeded", "maximum context length",
			"context length", "context window", "context_window", "prompt is too long", "input is too long" };

	private static final String[] CONTENT_FILTER_TEXTS = { "content_filter", "content_policy_violation",
			"content management policy", "responsibleaipolicyviolation", "content filter" };

	private static final String[] OVERLOADED_TEXTS = { "overloaded_error" };

	private static final String[] RATE_LIMIT_TEXTS = { "rate_limit", "rate limit", "too many requests" };

	/** "429 - {...}" (Spring AI), "HTTP 429", "status code: 429", "status=429". */
	private static final Pattern STATUS_IN_MESSAGE = Pattern
		.compile("^\\s*(?:HTTP\\s*)?([1-5]\\d\\d)\\b|\\b(?:HTTP|status(?:\\s*code)?)\\s*[:=]?\\s*([1-5]\\d\\d)\\b",
				Pattern.CASE_INSENSITIVE);

	private static final String SPRING_AI_TRANSIENT = "TransientAiException";

	private static final String SPRING_AI_NON_TRANSIENT = "NonTransientAiException";

	private static final Log logger = LogFactory.getLog(DefaultLlmErrorClassifier.class);

	/**
	 * Whether each optional library is read: present on the class path, and not found lacking a
	 * class or method (an older version than the one this is built against) at a first use.
	 */
	private volatile boolean openAiSdk;

	private volatile boolean langChain4j;

	private volatile boolean springWeb;

	public DefaultLlmErrorClassifier() {
		ClassLoader classLoader = DefaultLlmErrorClassifier.class.getClassLoader();
		this.openAiSdk = ClassUtils.isPresent("com.openai.errors.OpenAIServiceException", classLoader);
		this.langChain4j = ClassUtils.isPresent("dev.langchain4j.exception.LangChain4jException", classLoader);
		this.springWeb = ClassUtils.isPresent("org.springframework.web.client.RestClientResponseException",
				classLoader);
	}

	@Override
	public ErrorCategory classify(Throwable error) {
		if (ErrorTypes.isOrWrapsTimeout(error)) {
			return ErrorCategory.TIMEOUT;
		}
		Throwable cause = error;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			ErrorCategory category = categoryOf(cause);
			if (category != null) {
				return category;
			}
			if (cause.getCause() == cause) {
				break;
			}
			cause = cause.getCause();
		}
		return ErrorCategory.OTHER;
	}

	/** The category that this error alone tells (its causes not read), or {@code null}. */
	protected @Nullable ErrorCategory categoryOf(Throwable error) {
		ErrorCategory category = null;
		if (this.openAiSdk) {
			try {
				category = OpenAiSdkErrors.categoryOf(error);
			}
			catch (LinkageError ex) {
				this.openAiSdk = false;
				reportIncompatible("the OpenAI Java SDK", ex);
			}
		}
		if (category == null && this.langChain4j) {
			try {
				category = LangChain4jErrors.categoryOf(error);
			}
			catch (LinkageError ex) {
				this.langChain4j = false;
				reportIncompatible("LangChain4j", ex);
			}
		}
		if (category == null && this.springWeb) {
			try {
				category = SpringWebErrors.categoryOf(error);
			}
			catch (LinkageError ex) {
				this.springWeb = false;
				reportIncompatible("spring-web", ex);
			}
		}
		if (category == null) {
			category = springAiCategoryOf(error);
		}
		if (category == null && isNetworkFailure(error)) {
			category = ErrorCategory.NETWORK;
		}
		return category;
	}

	/**
	 * A version of an optional library that lacks a class or method its reader uses: its
	 * exceptions are no longer read (the others still are), so that one library never turns every
	 * category into {@code other}.
	 */
	private static void reportIncompatible(String library, LinkageError ex) {
		logger.warn("The error categories no longer read the exceptions of " + library
				+ ": its version on the class path lacks " + ex.getMessage()
				+ " (errors of its calls get the category of their HTTP status, cause or other)");
	}

	/**
	 * The category of an HTTP status, the provider's error text (response body, error code or
	 * message; may be {@code null}) read first for context length, content filtering and
	 * overload: 429 is {@code rate_limited}; 401 and 403 {@code auth}; 408 and 504
	 * {@code timeout}; other 4xx {@code bad_request}; 5xx (529 included) {@code server_error};
	 * anything else {@code other}.
	 */
	public static ErrorCategory ofStatus(int status, @Nullable String text) {
		ErrorCategory fromText = ofText(text, false);
		if (fromText != null) {
			return fromText;
		}
		if (status == 429) {
			return ErrorCategory.RATE_LIMITED;
		}
		if (status == 401 || status == 403) {
			return ErrorCategory.AUTH;
		}
		if (status == 408 || status == 504) {
			return ErrorCategory.TIMEOUT;
		}
		if (status >= 400 && status < 500) {
			return ErrorCategory.BAD_REQUEST;
		}
		if (status >= 500 && status < 600) {
			return ErrorCategory.SERVER_ERROR;
		}
		return ErrorCategory.OTHER;
	}

	/**
	 * The category that the provider's error text names, or {@code null}; rate limiting only
	 * where no status tells it.
	 */
	static @Nullable ErrorCategory ofText(@Nullable String text, boolean rateLimits) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		String lower = text.toLowerCase(Locale.ROOT);
		if (containsAny(lower, CONTEXT_LENGTH_TEXTS)) {
			return ErrorCategory.CONTEXT_LENGTH;
		}
		if (containsAny(lower, CONTENT_FILTER_TEXTS)) {
			return ErrorCategory.CONTENT_FILTER;
		}
		if (containsAny(lower, OVERLOADED_TEXTS)) {
			return ErrorCategory.SERVER_ERROR;
		}
		if (rateLimits && containsAny(lower, RATE_LIMIT_TEXTS)) {
			return ErrorCategory.RATE_LIMITED;
		}
		return null;
	}

	/** The HTTP status a message names ("429 - ...", "HTTP 503", "status code: 401"), or -1. */
	static int statusInMessage(@Nullable String message) {
		if (message == null) {
			return -1;
		}
		Matcher matcher = STATUS_IN_MESSAGE.matcher(message);
		if (!matcher.find()) {
			return -1;
		}
		return Integer.parseInt((matcher.group(1) != null) ? matcher.group(1) : matcher.group(2));
	}

	/** Status-less errors: the status the message names, else its text, else {@code fallback}. */
	static @Nullable ErrorCategory ofMessage(@Nullable String message, @Nullable ErrorCategory fallback) {
		int status = statusInMessage(message);
		if (status >= 400) {
			return ofStatus(status, message);
		}
		ErrorCategory fromText = ofText(message, true);
		return (fromText != null) ? fromText : fallback;
	}

	/**
	 * Spring AI's retry exceptions ({@code org.springframework.ai.retry}, moved between modules
	 * across versions and no dependency), matched by simple name: a transient error without a
	 * status is a server error.
	 */
	private static @Nullable ErrorCategory springAiCategoryOf(Throwable error) {
		for (Class<?> type = error.getClass(); type != null && type != Throwable.class; type = type.getSuperclass()) {
			if (type.getSimpleName().equals(SPRING_AI_TRANSIENT)) {
				return ofMessage(error.getMessage(), ErrorCategory.SERVER_ERROR);
			}
			if (type.getSimpleName().equals(SPRING_AI_NON_TRANSIENT)) {
				return ofMessage(error.getMessage(), ErrorCategory.OTHER);
			}
		}
		return null;
	}

	/**
	 * Connection and transport failures: {@code java.net} and TLS exceptions, plain
	 * {@code IOException} and {@code EOFException} (OkHttp's "unexpected end of stream"),
	 * OkHttp's and Reactor Netty's own. Not every {@code IOException}: a JSON parse failure is one
	 * too, and no network failure.
	 */
	static boolean isNetworkFailure(Throwable error) {
		if (!(error instanceof IOException)) {
			return false;
		}
		Class<?> type = error.getClass();
		if (type == IOException.class || type == EOFException.class) {
			return true;
		}
		String name = type.getName();
		return name.startsWith("java.net.") || name.startsWith("javax.net.") || name.startsWith("java.nio.channels.")
				|| name.startsWith("jdk.internal.net.") || name.startsWith("okhttp3.") || name.startsWith("okio.")
				|| name.startsWith("reactor.netty.") || name.startsWith("io.netty.");
	}

	private static boolean containsAny(String text, String[] candidates) {
		for (String candidate : candidates) {
			if (text.contains(candidate)) {
				return true;
			}
		}
		return false;
	}

}
