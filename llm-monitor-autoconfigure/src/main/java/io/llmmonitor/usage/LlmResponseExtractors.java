package io.llmmonitor.usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The extractors in use, looked up by element type: the first whose
 * {@link LlmResponseExtractor#responseType()} accepts the type wins, built-in ones last. The
 * answer is cached per type.
 */
public final class LlmResponseExtractors {

	private static final Log logger = LogFactory.getLog(LlmResponseExtractors.class);

	/** The extractors with the type each reads, read once. */
	private final List<Typed> extractors;

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
		List<Typed> all = new ArrayList<>(extractors.size() + 1);
		for (LlmResponseExtractor<?> extractor : extractors) {
			Typed typed = Typed.of(extractor);
			if (typed != null) {
				all.add(typed);
			}
		}
		all.add(new Typed(new CharSequenceResponseExtractor(), CharSequence.class));
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
		for (Typed typed : this.extractors) {
			if (typed.type().isAssignableFrom(type)) {
				return Optional.of((LlmResponseExtractor<Object>) typed.extractor());
			}
		}
		return Optional.empty();
	}

	/** An extractor and the type it reads. */
	private record Typed(LlmResponseExtractor<?> extractor, Class<?> type) {

		/**
		 * @return the extractor with its type, or {@code null} (and one WARN) when it names none:
		 * an extractor whose {@code responseType()} fails or returns {@code null} is skipped, it
		 * never breaks a call nor the start
		 */
		static @Nullable Typed of(LlmResponseExtractor<?> extractor) {
			Class<?> type;
			try {
				type = extractor.responseType();
			}
			catch (RuntimeException | LinkageError ex) {
				logger.warn("llm-monitor: the LlmResponseExtractor " + extractor.getClass().getName()
						+ " is skipped: its responseType() failed", ex);
				return null;
			}
			if (type == null) {
				logger.warn("llm-monitor: the LlmResponseExtractor " + extractor.getClass().getName()
						+ " is skipped: its responseType() returned null");
				return null;
			}
			return new Typed(extractor, type);
		}

	}

}
