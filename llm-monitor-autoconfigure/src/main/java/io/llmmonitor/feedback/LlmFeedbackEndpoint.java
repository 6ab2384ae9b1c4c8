package io.llmmonitor.feedback;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code POST /actuator/llmfeedback} with a JSON body {@code {"traceId": "…", "score": 1,
 * "comment": "…"}}: records a user's feedback on the last LLM call of a trace through
 * {@link LlmFeedback}. A write operation, off by default like Spring Boot's {@code shutdown}:
 * {@code management.endpoint.llmfeedback.access=unrestricted} turns it on and
 * {@code management.endpoints.web.exposure.include=llmfeedback} exposes it. A malformed trace
 * id or a score outside [0, 1] is answered 400.
 */
@Endpoint(id = "llmfeedback", defaultAccess = Access.NONE)
public class LlmFeedbackEndpoint {

	private final LlmFeedback feedback;

	public LlmFeedbackEndpoint(LlmFeedback feedback) {
		this.feedback = feedback;
	}

	@WriteOperation
	public Map<String, Object> record(String traceId, double score, @Nullable String comment) {
		FeedbackHandle rated;
		try {
			rated = this.feedback.recordForTrace(traceId, new Feedback(score, comment));
		}
		catch (IllegalArgumentException ex) {
			String reason = Objects.requireNonNullElse(ex.getMessage(), ex.toString());
			throw new InvalidEndpointRequestException(reason, reason);
		}
		Map<String, Object> recorded = new LinkedHashMap<>();
		recorded.put("traceId", rated.traceId());
		recorded.put("model", rated.model());
		recorded.put("provider", rated.provider());
		recorded.put("score", score);
		return recorded;
	}

}
