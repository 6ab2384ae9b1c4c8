package io.llmmonitor.springai;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.micrometer.tracing.test.simple.SimpleSpan;

/** Reads the tree of recorded spans. */
final class Spans {

	private Spans() {
	}

	/** The parent of {@code span}, its parent, and so on up to the root. */
	static List<SimpleSpan> ancestors(Collection<SimpleSpan> spans, SimpleSpan span) {
		List<SimpleSpan> ancestors = new ArrayList<>();
		for (SimpleSpan child = span; child.getParentId() != null && !child.getParentId().isEmpty();) {
			String parentId = child.getParentId();
			child = spans.stream()
				.filter((candidate) -> candidate.getSpanId().equals(parentId))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no span " + parentId));
			ancestors.add(child);
		}
		return ancestors;
	}

}
