package io.llmmonitor.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

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

	private final ClassValue<AtomicBoolean> usageReported = new ClassValue<>() {
		@Override
		protected AtomicBoolean computeValue(Class<?> type) {
			return new AtomicBoolean();
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

	/**
	 * Whether a response of this type has reported output token usage before: then streams of it
	 * need not keep their text for counting.
	 */
	public boolean hasReportedUsage(Class<?> type) {
		return this.usageReported.get(type).get();
	}

	/** Notes that a response of this type reported output token usage. */
	public void usageReported(Class<?> type) {
		AtomicBoolean reported = this.usageReported.get(type);
		if (!reported.get()) {
			reported.set(true);
		}
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
