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
	void cutsToTheMaximumLength() {
		assertThat(this.capture.redact("x".repeat(500))).hasSize(81).endsWith("…");
	}

	@Test
	void writesGenAiMessagesJsonWithEscapes() {
		assertThat(this.capture.messagesJson("assistant", "say \"hi\"\nnow"))
			.isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"say \\\"hi\\\"\\nnow\"}]}]");
	}

}
