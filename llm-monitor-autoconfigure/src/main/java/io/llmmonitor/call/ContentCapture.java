package io.llmmonitor.call;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opt-in capture of prompt and completion text into spans ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}), with secrets redacted and a length cap. Off by default: no
 * content reaches metrics, spans or logs.
 */
public final class ContentCapture {

	/** What replaces a redacted match. */
	public static final String REDACTED = "[REDACTED]";

	/** API keys and bearer tokens of common providers, always redacted when capture is on. */
	private static final List<Redaction> BUILT_IN = List.of(Redaction.whole("sk-[A-Za-z0-9_-]{16,}"),
			Redaction.whole("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}"), Redaction.whole("AKIA[0-9A-Z]{16}"),
			Redaction.whole("AIza[0-9A-Za-z_-]{35}"),
			new Redaction(Pattern.compile("(?i)(api[_-]?key|secret|password|token)(\\s*[:=]\\s*)[^\\s,;\"']+"),
					"$1$2" + REDACTED));

	/** Characters kept beyond the maximum length of a text arriving in parts, see {@link #keptLength()}. */
	private static final int REDACTION_MARGIN = 256;

	/** Capture off. */
	public static final ContentCapture DISABLED = new ContentCapture(false, 0, List.of());

	private final boolean enabled;

	private final int maxLength;

	private final List<Redaction> redactions;

	/** A pattern and what replaces its matches. */
	private record Redaction(Pattern pattern, String replacement) {

		static Redaction whole(String regex) {
			return new Redaction(Pattern.compile(regex), Matcher.quoteReplacement(REDACTED));
		}

		String apply(String text) {
			return this.pattern.matcher(text).replaceAll(this.replacement);
		}

	}

	/**
	 * @param enabled whether content is captured
	 * @param maxLength most characters kept of each text, after redaction
	 * @param redactPatterns regular expressions whose matches are replaced, besides the built-in ones
	 */
	public ContentCapture(boolean enabled, int maxLength, List<String> redactPatterns) {
		this.enabled = enabled;
		this.maxLength = maxLength;
		List<Redaction> redactions = new ArrayList<>(BUILT_IN);
		for (String pattern : redactPatterns) {
			redactions.add(Redaction.whole(pattern));
		}
		this.redactions = List.copyOf(redactions);
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Characters of a text kept while it arrives: the maximum length, and a margin so that a
	 * secret across the cut is still seen whole by the redaction.
	 */
	int keptLength() {
		return (int) Math.min(Integer.MAX_VALUE, (long) this.maxLength + REDACTION_MARGIN);
	}

	/** The text as it may be exported: secrets redacted, cut to the maximum length. */
	public String redact(String text) {
		String redacted = text;
		for (Redaction redaction : this.redactions) {
			redacted = redaction.apply(redacted);
		}
		return (redacted.length() > this.maxLength) ? redacted.substring(0, this.maxLength) + "…" : redacted;
	}

	/** One message as the GenAI semantic conventions' JSON message list, e.g. for {@code gen_ai.output.messages}. */
	String messagesJson(String role, String text) {
		return "[{\"role\":\"" + role + "\",\"parts\":[{\"type\":\"text\",\"content\":\"" + jsonEscape(redact(text))
				+ "\"}]}]";
	}

	private static String jsonEscape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				default -> {
					if (c < 0x20) {
						escaped.append(String.format("\\u%04x", (int) c));
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

}
