package io.llmmonitor.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The extractors in use, looked up by element type: the first whose
 * {@link LlmResponseExtractor#responseType()} accepts the type wins, built-in ones last. The
 * answer is cached per type.
 */
public final class LlmResponseExtractors {

	private final List<LlmResponseExtractor<?>> extractors;

	private final ClassValue<Optional<LlmResponseExtractor<Object>>> byType = new ClassValue<>() {
		@Override
		protected Optional<LlmResponseExtractor<Object>> computeValue(Class<?> type) {
			return lookup(type);
		}
	};

	/**
	 * @param extractors user extractors, in order of precedence
	 */
	public LlmResponseExtractors(List<? extends LlmResponseExtractor<?>> extractors) {
		List<LlmResponseExtractor<?>> all = new ArrayList<>(extractors);
		all.add(new CharSequenceResponseExtractor());
		this.extractors = List.copyOf(all);
	}

	/** The extractor for elements of this type, or {@code null}: then one element counts as one token. */
	public @Nullable LlmResponseExtractor<Object> find(Class<?> type) {
		return this.byType.get(type).orElse(null);
	}

	@SuppressWarnings("unchecked")
	private Optional<LlmResponseExtractor<Object>> lookup(Class<?> type) {
		for (LlmResponseExtractor<?> extractor : this.extractors) {
			if (extractor.responseType().isAssignableFrom(type)) {
				return Optional.of((LlmResponseExtractor<Object>) extractor);
			}
		}
		return Optional.empty();
	}

}
