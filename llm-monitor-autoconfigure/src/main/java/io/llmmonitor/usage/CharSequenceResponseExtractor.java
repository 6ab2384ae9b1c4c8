package io.llmmonitor.usage;

/**
 * Built-in extractor: a {@code String} (any {@code CharSequence}) chunk or result is generated text.
 */
public final class CharSequenceResponseExtractor implements LlmResponseExtractor<CharSequence> {

	@Override
	public Class<CharSequence> responseType() {
		return CharSequence.class;
	}

	@Override
	public CharSequence content(CharSequence response) {
		return response;
	}

}
