package io.llmmonitor.usage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * {@link TokenCounter} on jtokkit's BPE encodings: the encoding of the model where jtokkit knows it
 * (OpenAI models: {@code o200k_base} for gpt-4o, {@code cl100k_base} for gpt-4 and gpt-3.5), else
 * the configured default. Exact for those OpenAI models, an estimate for others.
 */
public final class JtokkitTokenCounter implements TokenCounter {

	private static final int MAX_CACHED_MODELS = 256;

	private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

	private final Encoding defaultEncoding;

	private final Map<String, Encoding> encodingByModel = new ConcurrentHashMap<>();

	public JtokkitTokenCounter(EncodingType defaultEncoding) {
		this.defaultEncoding = this.registry.getEncoding(defaultEncoding);
	}

	@Override
	public long countTokens(String model, String text) {
		return encodingFor(model).countTokensOrdinary(text);
	}

	private Encoding encodingFor(String model) {
		Encoding encoding = this.encodingByModel.get(model);
		if (encoding == null) {
			encoding = this.registry.getEncodingForModel(model).orElse(this.defaultEncoding);
			if (this.encodingByModel.size() < MAX_CACHED_MODELS) {
				this.encodingByModel.put(model, encoding);
			}
		}
		return encoding;
	}

}
