package io.llmmonitor.call;

import io.llmmonitor.call.internal.MonitoringFailures;
import io.llmmonitor.usage.LlmResponseExtractor;
import io.llmmonitor.usage.LlmUsage;
import org.jspecify.annotations.Nullable;

/**
 * Reads each field of an element on its own: an extractor that throws for one field costs that
 * figure, reported, and never the others of the element (a malformed usage must not hide the
 * text that times the stream).
 */
final class ExtractedFields {

	private ExtractedFields() {
	}

	static @Nullable CharSequence content(LlmResponseExtractor<Object> extractor, Object element) {
		try {
			return extractor.content(element);
		}
		catch (RuntimeException ex) {
			report(extractor, "content", ex);
			return null;
		}
	}

	static @Nullable CharSequence reasoningContent(LlmResponseExtractor<Object> extractor, Object element) {
		try {
			return extractor.reasoningContent(element);
		}
		catch (RuntimeException ex) {
			report(extractor, "reasoning content", ex);
			return null;
		}
	}

	static @Nullable LlmUsage usage(LlmResponseExtractor<Object> extractor, Object element) {
		try {
			return extractor.usage(element);
		}
		catch (RuntimeException ex) {
			report(extractor, "usage", ex);
			return null;
		}
	}

	static @Nullable String responseModel(LlmResponseExtractor<Object> extractor, Object element) {
		try {
			return extractor.responseModel(element);
		}
		catch (RuntimeException ex) {
			report(extractor, "response model", ex);
			return null;
		}
	}

	static @Nullable String finishReason(LlmResponseExtractor<Object> extractor, Object element) {
		try {
			return extractor.finishReason(element);
		}
		catch (RuntimeException ex) {
			report(extractor, "finish reason", ex);
			return null;
		}
	}

	private static void report(LlmResponseExtractor<Object> extractor, String field, RuntimeException ex) {
		MonitoringFailures.report("reading the " + field + " of a response with " + extractor.getClass().getName(), ex);
	}

}
