package io.llmmonitor.sample.chat;

import java.util.Map;

import io.llmmonitor.feedback.Feedback;
import io.llmmonitor.feedback.FeedbackHandle;
import io.llmmonitor.feedback.LlmFeedback;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/feedback}: a user rates an answer of {@code /api/chat} by the trace id the answer
 * carried, with a score from 0 to 1 (thumbs up 1, down 0) and an optional comment. With
 * {@code llm.monitor.enabled=false} there is nothing to rate: it answers 503.
 */
@RestController
@RequestMapping("/api")
public class FeedbackController {

	private final ObjectProvider<LlmFeedback> feedback;

	public FeedbackController(ObjectProvider<LlmFeedback> feedback) {
		this.feedback = feedback;
	}

	public record Rating(String traceId, double score, @Nullable String comment) {
	}

	public record Rated(String model, double score) {
	}

	@PostMapping("/feedback")
	public ResponseEntity<?> rate(@RequestBody Rating rating) {
		LlmFeedback feedback = this.feedback.getIfAvailable();
		if (feedback == null) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.body(Map.of("error", "LLM monitoring is off (llm.monitor.enabled=false): no feedback is recorded"));
		}
		FeedbackHandle rated = feedback.recordForTrace(rating.traceId(),
				Feedback.score(rating.score()).withComment(rating.comment()));
		return ResponseEntity.ok(new Rated(rated.model(), rating.score()));
	}

	/** A score outside [0, 1] or a malformed trace id. */
	@ExceptionHandler(IllegalArgumentException.class)
	public ResponseEntity<Map<String, String>> badRating(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

}
