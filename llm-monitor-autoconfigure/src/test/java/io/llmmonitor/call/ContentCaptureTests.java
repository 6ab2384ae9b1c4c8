package io.llmmonitor.call;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContentCaptureTests {

	private final ContentCapture capture = new ContentCapture(true, 80, List.of("\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b"));

	@Test
	void redactsBuiltInSecretsAndConfiguredPatterns() {
		String text = "key sk-proj-abcdefghijklmnopqrstuvwxyz012345, header Bearer eyJhbGciOiJIUzI1NiJ9.x.y, "
				+ "api_key=hunter2hunter2 card 4111-1111-1111-1111";

		String redacted = new ContentCapture(true, 1000, List.of("\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b")).redact(text);

		assertThat(redacted).doesNotContain("sk-proj", "eyJhbGciOiJIUzI1NiJ9", "hunter2", "4111")
			.contains("key [REDACTED]", "header [REDACTED]", "api_key=[REDACTED]", "card [REDACTED]");
	}

	@Test
	void redactsQuotedAndJsonSecretsKeepingTheirQuotes() {
		ContentCapture capture = new ContentCapture(true, 10_000, List.of());

		assertThat(capture.redact("{\"password\":\"hunter2\"}")).isEqualTo("{\"password\":\"[REDACTED]\"}");
		assertThat(capture.redact("{\"user\": \"ann\", \"password\" : \"hunter 2, with \\\"quotes\\\"\"}"))
			.isEqualTo("{\"user\": \"ann\", \"password\" : \"[REDACTED]\"}");
		assertThat(capture.redact("api_key='s3cr3t value'")).isEqualTo("api_key='[REDACTED]'");
		assertThat(capture.redact("headers = {\"api-key\": \"abc123\", \"x-api-key\":\"def456\"}"))
			.isEqualTo("headers = {\"api-key\": \"[REDACTED]\", \"x-api-key\":\"[REDACTED]\"}");
		assertThat(capture.redact("client_secret: 'xyz', apiKey=\"k-1\""))
			.isEqualTo("client_secret: '[REDACTED]', apiKey=\"[REDACTED]\"");
		// a JSON document inside a JSON string: escaped quotes
		assertThat(capture.redact("{\\\"token\\\":\\\"tok-42\\\"}")).isEqualTo("{\\\"token\\\":\\\"[REDACTED]\\\"}");
		// a quote that never closes: the text was cut
		assertThat(capture.redact("password: \"hunter2")).doesNotContain("hunter2");
	}

	@Test
	void redactsAuthorizationHeadersAndBasicCredentials() {
		ContentCapture capture = new ContentCapture(true, 10_000, List.of());
		String basic = "dXNlcjpodW50ZXIy"; // user:hunter2

		assertThat(capture.redact("Authorization: Basic " + basic)).isEqualTo("Authorization: Basic [REDACTED]");
		assertThat(capture.redact("curl -H 'Authorization: Basic " + basic + "' https://x"))
			.doesNotContain(basic)
			.contains("Authorization: Basic [REDACTED]");
		assertThat(capture.redact("{\"Authorization\": \"Basic " + basic + "\"}"))
			.isEqualTo("{\"Authorization\": \"[REDACTED]\"}");
		assertThat(capture.redact("authorization=Digest abc")).isEqualTo("authorization=Digest [REDACTED]");
		assertThat(capture.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"))
			.isEqualTo("Authorization: [REDACTED]");
		assertThat(capture.redact("Authorization: Bearer short")).isEqualTo("Authorization: Bearer [REDACTED]");
		assertThat(capture.redact("send Basic " + basic + " along")).isEqualTo("send Basic [REDACTED] along");
		// not credentials: words after "basic" that are no base64 of user:password stay
		assertThat(capture.redact("Some basic questions about Basic user auth"))
			.isEqualTo("Some basic questions about Basic user auth");
		assertThat(capture.redact("a token count of 12 tokens")).isEqualTo("a token count of 12 tokens");
	}

	@Test
	void cutsToTheMaximumLength() {
		assertThat(this.capture.redact("x".repeat(500))).hasSize(81).endsWith("…");
	}

	@Test
	void writesGenAiMessagesJsonWithEscapes() {
		assertThat(this.capture.messagesJson("assistant", "say \"hi\"\nnow"))
			.isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"say \\\"hi\\\"\\nnow\"}]}]");
	}

}
