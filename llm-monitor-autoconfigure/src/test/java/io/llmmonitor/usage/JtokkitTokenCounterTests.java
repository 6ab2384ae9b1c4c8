package io.llmmonitor.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JtokkitTokenCounterTests {

	private static final String TEXT = "Tokenization of résumés costs: 12345 tokens?! <|endoftext|>";

	private final JtokkitTokenCounter counter = new JtokkitTokenCounter(EncodingType.CL100K_BASE);

	@Test
	void knownModelsUseTheirOwnEncoding() {
		int o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE).countTokensOrdinary(TEXT);
		int cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary(TEXT);
		assertThat(o200k).isNotEqualTo(cl100k);

		assertThat(this.counter.countTokens("gpt-4o", TEXT)).isEqualTo(o200k);
		assertThat(this.counter.countTokens("gpt-4", TEXT)).isEqualTo(cl100k);
	}

	@Test
	void unknownModelsUseTheDefaultEncoding() {
		int cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE).countTokensOrdinary(TEXT);

		assertThat(this.counter.countTokens("llama-3.1-8b-instruct", TEXT)).isEqualTo(cl100k);
		assertThat(this.counter.countTokens("unknown", "")).isZero();
	}

	@Test
	void specialTokenTextIsCountedAsOrdinaryText() {
		assertThat(this.counter.countTokens("gpt-4", "<|endoftext|>")).isGreaterThan(1);
	}

}
