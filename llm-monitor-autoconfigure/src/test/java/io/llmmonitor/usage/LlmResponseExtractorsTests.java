package io.llmmonitor.usage;

import java.util.List;

import io.llmmonitor.call.LlmCallSpec;
import io.llmmonitor.call.LlmMonitorSettings;
import io.llmmonitor.observation.TokenCountSource;
import io.llmmonitor.support.TestMonitors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user extractor that names no type is skipped with one WARN: it never breaks a call nor the
 * start of the application.
 */
@ExtendWith(OutputCaptureExtension.class)
class LlmResponseExtractorsTests {

	@Test
	void anExtractorWhoseResponseTypeThrowsIsSkippedWithOneWarning(CapturedOutput output) {
		LlmResponseExtractors extractors = new LlmResponseExtractors(
				List.of(new Broken(true), new Reply.Extractor()));

		assertThat(extractors.find(Reply.class)).isInstanceOf(Reply.Extractor.class);
		assertThat(extractors.find(String.class)).isInstanceOf(CharSequenceResponseExtractor.class);
		assertThat(extractors.find(Integer.class)).isNull();
		assertThat(output).containsOnlyOnce("LlmResponseExtractor " + Broken.class.getName() + " is skipped");
	}

	@Test
	void anExtractorWhoseResponseTypeIsNullIsSkippedWithOneWarning(CapturedOutput output) {
		LlmResponseExtractors extractors = new LlmResponseExtractors(List.of(new Broken(false)));

		assertThat(extractors.find(String.class)).isInstanceOf(CharSequenceResponseExtractor.class);
		assertThat(extractors.find(Integer.class)).isNull();
		assertThat(output).containsOnlyOnce("LlmResponseExtractor " + Broken.class.getName() + " is skipped");
	}

	@Test
	void callsReadTheirResponsesWithTheOtherExtractors() {
		TestMonitors monitors = TestMonitors.onSystemTime(LlmMonitorSettings.DEFAULTS, new Broken(true),
				new Reply.Extractor(), new Broken(false));

		Reply reply = monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> new Reply("hi", 7L));
		String text = monitors.monitor.call(LlmCallSpec.chat("gpt-4o", "openai"), () -> "Hello there");

		assertThat(reply.text()).isEqualTo("hi");
		assertThat(text).isEqualTo("Hello there");
		assertThat(monitors.stoppedCalls).hasSize(2);
		assertThat(monitors.stoppedCalls.get(0).getOutputTokens()).isEqualTo(7L);
		assertThat(monitors.stoppedCalls.get(0).getOutputTokensSource()).isEqualTo(TokenCountSource.PROVIDER);
		assertThat(monitors.stoppedCalls.get(1).getOutputTokens()).isEqualTo(2L);
	}

	/** Names no type: its {@code responseType()} throws, or returns {@code null}. */
	static final class Broken implements LlmResponseExtractor<Object> {

		private final boolean throwing;

		Broken(boolean throwing) {
			this.throwing = throwing;
		}

		@Override
		@SuppressWarnings("NullAway")
		public Class<Object> responseType() {
			if (this.throwing) {
				throw new IllegalStateException("no type yet");
			}
			return null;
		}

		@Override
		public @Nullable CharSequence content(Object response) {
			throw new AssertionError("never called");
		}

	}

	record Reply(String text, Long outputTokens) {

		static final class Extractor implements LlmResponseExtractor<Reply> {

			@Override
			public Class<Reply> responseType() {
				return Reply.class;
			}

			@Override
			public CharSequence content(Reply response) {
				return response.text();
			}

			@Override
			public LlmUsage usage(Reply response) {
				return new LlmUsage(null, response.outputTokens());
			}

		}

	}

}
