package io.llmmonitor.error;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.ErrorObject;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each category from the real exception types of the OpenAI Java SDK, LangChain4j, Spring's
 * {@code RestClient}/{@code RestTemplate} and {@code WebClient}, and the JDK.
 */
class DefaultLlmErrorClassifierTests {

	private final DefaultLlmErrorClassifier classifier = new DefaultLlmErrorClassifier();

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void openAiJavaSdk(String name, Throwable error, ErrorCategory expected) {
		assertThat(this.classifier.classify(error)).isEqualTo(expected);
	}

	static Stream<Arguments> openAiJavaSdk() {
		Headers headers = Headers.builder().build();
		return Stream.of(
				arguments("RateLimitException", RateLimitException.builder().headers(headers).build(),
						ErrorCategory.RATE_LIMITED),
				arguments("UnauthorizedException", UnauthorizedException.builder().headers(headers).build(),
						ErrorCategory.AUTH),
				arguments("PermissionDeniedException", PermissionDeniedException.builder().headers(headers).build(),
						ErrorCategory.AUTH),
				arguments("BadRequestException", BadRequestException.builder()
					.headers(headers)
					.error(openAiError("invalid_value", "Invalid value for 'temperature'"))
					.build(), ErrorCategory.BAD_REQUEST),
				arguments("BadRequestException context_length_exceeded", BadRequestException.builder()
					.headers(headers)
					.error(openAiError("context_length_exceeded",
							"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens."))
					.build(), ErrorCategory.CONTEXT_LENGTH),
				arguments("BadRequestException content_filter", BadRequestException.builder()
					.headers(headers)
					.error(openAiError("content_filter", "The response was filtered"))
					.build(), ErrorCategory.CONTENT_FILTER),
				arguments("UnprocessableEntityException", UnprocessableEntityException.builder().headers(headers).build(),
						ErrorCategory.BAD_REQUEST),
				arguments("InternalServerException 503",
						InternalServerException.builder().statusCode(503).headers(headers).build(),
						ErrorCategory.SERVER_ERROR),
				arguments("OpenAIIoException", new OpenAIIoException("Request failed", new IOException("reset")),
						ErrorCategory.NETWORK),
				arguments("OpenAIIoException of a read timeout",
						new OpenAIIoException("Request failed", new SocketTimeoutException("timeout")),
						ErrorCategory.TIMEOUT));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void langChain4j(String name, Throwable error, ErrorCategory expected) {
		assertThat(this.classifier.classify(error)).isEqualTo(expected);
	}

	static Stream<Arguments> langChain4j() {
		return Stream.of(
				arguments("RateLimitException", new dev.langchain4j.exception.RateLimitException("slow down"),
						ErrorCategory.RATE_LIMITED),
				arguments("TimeoutException", new dev.langchain4j.exception.TimeoutException("timed out"),
						ErrorCategory.TIMEOUT),
				arguments("AuthenticationException", new AuthenticationException("bad key"), ErrorCategory.AUTH),
				arguments("ContentFilteredException", new ContentFilteredException("filtered"),
						ErrorCategory.CONTENT_FILTER),
				arguments("InvalidRequestException", new InvalidRequestException("unknown parameter 'foo'"),
						ErrorCategory.BAD_REQUEST),
				arguments("InvalidRequestException of the context length", new InvalidRequestException(
						"{\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"...\"}}"),
						ErrorCategory.CONTEXT_LENGTH),
				arguments("ModelNotFoundException", new ModelNotFoundException("no such model"),
						ErrorCategory.BAD_REQUEST),
				arguments("InternalServerException",
						new dev.langchain4j.exception.InternalServerException("upstream failed"),
						ErrorCategory.SERVER_ERROR),
				arguments("HttpException 529 overloaded_error", new HttpException(529,
						"{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
						ErrorCategory.SERVER_ERROR),
				arguments("HttpException 401", new HttpException(401, "unauthorized"), ErrorCategory.AUTH));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void springHttpClients(String name, Throwable error, ErrorCategory expected) {
		assertThat(this.classifier.classify(error)).isEqualTo(expected);
	}

	static Stream<Arguments> springHttpClients() {
		return Stream.of(
				arguments("HttpClientErrorException 429",
						HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", null, null,
								null),
						ErrorCategory.RATE_LIMITED),
				arguments("HttpClientErrorException 403", HttpClientErrorException.create(HttpStatus.FORBIDDEN,
						"Forbidden", null, null, null), ErrorCategory.AUTH),
				arguments("HttpClientErrorException 400 context length", HttpClientErrorException.create(
						HttpStatus.BAD_REQUEST, "Bad Request", null,
						body("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}"),
						StandardCharsets.UTF_8), ErrorCategory.CONTEXT_LENGTH),
				arguments("HttpClientErrorException 400 content_policy_violation", HttpClientErrorException.create(
						HttpStatus.BAD_REQUEST, "Bad Request", null,
						body("{\"error\":{\"code\":\"content_policy_violation\"}}"), StandardCharsets.UTF_8),
						ErrorCategory.CONTENT_FILTER),
				arguments("HttpClientErrorException 404", HttpClientErrorException.create(HttpStatus.NOT_FOUND,
						"Not Found", null, null, null), ErrorCategory.BAD_REQUEST),
				arguments("HttpClientErrorException 408", HttpClientErrorException.create(HttpStatus.REQUEST_TIMEOUT,
						"Request Timeout", null, null, null), ErrorCategory.TIMEOUT),
				arguments("HttpServerErrorException 502", HttpServerErrorException.create(HttpStatus.BAD_GATEWAY,
						"Bad Gateway", null, null, null), ErrorCategory.SERVER_ERROR),
				arguments("HttpServerErrorException 504", HttpServerErrorException.create(HttpStatus.GATEWAY_TIMEOUT,
						"Gateway Timeout", null, null, null), ErrorCategory.TIMEOUT),
				arguments("RestClientResponseException 529 (Anthropic overloaded)", new RestClientResponseException(
						"529", 529, "", null, body("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"),
						StandardCharsets.UTF_8), ErrorCategory.SERVER_ERROR),
				arguments("ResourceAccessException of a refused connection",
						new ResourceAccessException("I/O error", new ConnectException("Connection refused")),
						ErrorCategory.NETWORK),
				arguments("ResourceAccessException of a read timeout",
						new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out")),
						ErrorCategory.TIMEOUT),
				arguments("WebClientResponseException 429", WebClientResponseException.create(429, "Too Many Requests",
						HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8), ErrorCategory.RATE_LIMITED),
				arguments("WebClientResponseException 401", WebClientResponseException.create(401, "Unauthorized",
						HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8), ErrorCategory.AUTH),
				arguments("WebClientResponseException 400 context_length_exceeded", WebClientResponseException.create(
						400, "Bad Request", HttpHeaders.EMPTY, body("{\"error\":{\"code\":\"context_length_exceeded\"}}"),
						StandardCharsets.UTF_8), ErrorCategory.CONTEXT_LENGTH),
				arguments("WebClientResponseException 500", WebClientResponseException.create(500,
						"Internal Server Error", HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8),
						ErrorCategory.SERVER_ERROR),
				arguments("WebClientRequestException of an unknown host", new WebClientRequestException(
						new UnknownHostException("api.example"), org.springframework.http.HttpMethod.POST,
						java.net.URI.create("https://api.example/v1"), HttpHeaders.EMPTY), ErrorCategory.NETWORK));
	}

	/**
	 * Spring AI's retry exceptions are matched by name: spring-ai-retry is not on this class path,
	 * so these stand-ins carry the names and the messages of Spring AI's response error handler.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource
	void springAi(String name, Throwable error, ErrorCategory expected) {
		assertThat(this.classifier.classify(error)).isEqualTo(expected);
	}

	static Stream<Arguments> springAi() {
		return Stream.of(
				arguments("NonTransientAiException 401",
						new NonTransientAiException("401 - {\"error\":{\"code\":\"invalid_api_key\"}}"),
						ErrorCategory.AUTH),
				arguments("NonTransientAiException 400 context_length_exceeded", new NonTransientAiException(
						"400 - {\"error\":{\"code\":\"context_length_exceeded\"}}"), ErrorCategory.CONTEXT_LENGTH),
				arguments("NonTransientAiException without a status", new NonTransientAiException("no answer"),
						ErrorCategory.OTHER),
				arguments("TransientAiException 429", new TransientAiException("HTTP 429 - rate limit reached"),
						ErrorCategory.RATE_LIMITED),
				arguments("TransientAiException without a status", new TransientAiException("try again later"),
						ErrorCategory.SERVER_ERROR));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void jdkAndCauseChains(String name, Throwable error, ErrorCategory expected) {
		assertThat(this.classifier.classify(error)).isEqualTo(expected);
	}

	static Stream<Arguments> jdkAndCauseChains() {
		return Stream.of(arguments("ConnectException", new ConnectException("refused"), ErrorCategory.NETWORK),
				arguments("UnknownHostException", new UnknownHostException("api.openai.com"), ErrorCategory.NETWORK),
				arguments("UncheckedIOException of an IOException",
						new UncheckedIOException(new IOException("unexpected end of stream")), ErrorCategory.NETWORK),
				arguments("SocketTimeoutException", new SocketTimeoutException("timeout"), ErrorCategory.TIMEOUT),
				arguments("java.util.concurrent.TimeoutException", new java.util.concurrent.TimeoutException(),
						ErrorCategory.TIMEOUT),
				arguments("an IOException that is no network failure (a parse error)", new ParseFailure(),
						ErrorCategory.OTHER),
				arguments("IllegalStateException", new IllegalStateException("bug"), ErrorCategory.OTHER),
				arguments("a rate limit wrapped twice", new IllegalStateException("call failed",
						new RuntimeException(new dev.langchain4j.exception.RateLimitException("429"))),
						ErrorCategory.RATE_LIMITED),
				arguments("a cycle of causes", cycle(), ErrorCategory.OTHER));
	}

	@Test
	void statusesMapAsDocumented() {
		assertThat(DefaultLlmErrorClassifier.ofStatus(429, null)).isEqualTo(ErrorCategory.RATE_LIMITED);
		assertThat(DefaultLlmErrorClassifier.ofStatus(401, null)).isEqualTo(ErrorCategory.AUTH);
		assertThat(DefaultLlmErrorClassifier.ofStatus(403, null)).isEqualTo(ErrorCategory.AUTH);
		assertThat(DefaultLlmErrorClassifier.ofStatus(408, null)).isEqualTo(ErrorCategory.TIMEOUT);
		assertThat(DefaultLlmErrorClassifier.ofStatus(422, null)).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(DefaultLlmErrorClassifier.ofStatus(500, null)).isEqualTo(ErrorCategory.SERVER_ERROR);
		assertThat(DefaultLlmErrorClassifier.ofStatus(529, null)).isEqualTo(ErrorCategory.SERVER_ERROR);
		assertThat(DefaultLlmErrorClassifier.ofStatus(504, null)).isEqualTo(ErrorCategory.TIMEOUT);
		assertThat(DefaultLlmErrorClassifier.ofStatus(302, null)).isEqualTo(ErrorCategory.OTHER);
		assertThat(DefaultLlmErrorClassifier.ofStatus(400, "maximum context length is 8192 tokens"))
			.isEqualTo(ErrorCategory.CONTEXT_LENGTH);
	}

	@Test
	void everyCategoryHasItsLowerCaseTagValue() {
		assertThat(Stream.of(ErrorCategory.values()).map(ErrorCategory::tagValue)).containsExactly("rate_limited",
				"timeout", "auth", "bad_request", "context_length", "content_filter", "server_error", "network",
				"other");
	}

	private static ErrorObject openAiError(String code, String message) {
		return ErrorObject.builder().code(code).message(message).param((String) null).type("invalid_request_error").build();
	}

	private static byte[] body(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static Throwable cycle() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);
		return first;
	}

	static class ParseFailure extends IOException {

		ParseFailure() {
			super("Unexpected character at line 1");
		}

	}

	/** Stand-in named as Spring AI's {@code org.springframework.ai.retry.NonTransientAiException}. */
	static class NonTransientAiException extends RuntimeException {

		NonTransientAiException(String message) {
			super(message);
		}

	}

	/** Stand-in named as Spring AI's {@code org.springframework.ai.retry.TransientAiException}. */
	static class TransientAiException extends RuntimeException {

		TransientAiException(String message) {
			super(message);
		}

	}

}
