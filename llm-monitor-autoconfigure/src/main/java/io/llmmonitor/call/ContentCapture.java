package io.llmmonitor.call;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Opt-in capture of prompt and completion text into spans ({@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}), with secrets redacted and a length cap. Off by default: no
 * content reaches metrics, spans or logs.
 */
public final class ContentCapture {

	/** What replaces a redacted match. */
	public static final String REDACTED = "[REDACTED]";

	/**
	 * The value of a secret-looking key: a JSON string written with escaped quotes (a JSON document
	 * inside a string), a double- or single-quoted string, or a bare word (after a quote that does
	 * not close: a text cut short).
	 */
	private static final String SECRET_VALUE = "(\\\\\"(?:(?!\\\\\").)*\\\\\"|\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\\\\?[\"']?[^\\s,;\"']+)";

	/**
	 * API keys and bearer tokens of common providers, credentials of an {@code Authorization}
	 * header, HTTP Basic credentials, and the values of secret-looking keys in {@code key=value},
	 * {@code key: value} and JSON ({@code "password":"…"}, {@code api_key='…'}), always redacted
	 * when capture is on. A quoted value keeps its quotes, a header its scheme.
	 */
	private static final List<Redaction> BUILT_IN = List.of(Redaction.whole("sk-[A-Za-z0-9_-]{16,}"),
			Redaction.whole("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}"), Redaction.whole("AKIA[0-9A-Z]{16}"),
			Redaction.whole("AIza[0-9A-Za-z_-]{35}"),
			new Redaction(Pattern.compile("(?i)(\\b(?:proxy-)?authorization\\\\?[\"']?\\s*[:=]\\s*)"
					+ "(?:(basic|bearer|digest|negotiate|token)\\s+)?" + SECRET_VALUE), ContentCapture::redactValue),
			new Redaction(Pattern.compile("(?i)\\bbasic\\s+([A-Za-z0-9+/]{4,}={0,2})"), ContentCapture::redactBasic),
			new Redaction(Pattern.compile("(?i)((?:api[_-]?key|secret|password|passwd|token)\\\\?[\"']?\\s*[:=]\\s*)()"
					+ SECRET_VALUE), ContentCapture::redactValue));

	/** The quotes a redacted value keeps: an escaped one first. */
	private static final List<String> QUOTES = List.of("\\\"", "\"", "'");

	/** Characters kept beyond the maximum length of a text arriving in parts, see {@link #keptLength()}. */
	private static final int REDACTION_MARGIN = 256;

	/** Capture off. */
	public static final ContentCapture DISABLED = new ContentCapture(false, 0, List.of());

	private final boolean enabled;

	private final int maxLength;

	private final List<Redaction> redactions;

	/** A pattern and what replaces its matches. */
	private record Redaction(Pattern pattern, Function<MatchResult, String> replacement) {

		static Redaction whole(String regex) {
			return new Redaction(Pattern.compile(regex), (match) -> REDACTED);
		}

		String apply(String text) {
			return this.pattern.matcher(text).replaceAll((match) -> Matcher.quoteReplacement(this.replacement.apply(match)));
		}

	}

	/**
	 * Group 1 is kept (the key and its separator), group 2 (a scheme) too when present, and the
	 * value of group 3 becomes {@value #REDACTED} inside the same quotes.
	 */
	private static String redactValue(MatchResult match) {
		String value = match.group(3);
		String quote = "";
		for (String candidate : QUOTES) {
			if (value.length() >= 2 * candidate.length() && value.startsWith(candidate) && value.endsWith(candidate)) {
				quote = candidate;
				break;
			}
		}
		String scheme = (match.group(2) != null && !match.group(2).isEmpty()) ? match.group(2) + " " : "";
		return match.group(1) + quote + scheme + REDACTED + quote;
	}

	/**
	 * {@code Basic} followed by base64 that decodes to {@code user:password}; other words after
	 * "basic" ("basic questions") stay.
	 */
	private static String redactBasic(MatchResult match) {
		try {
			String decoded = new String(Base64.getDecoder().decode(match.group(1)), StandardCharsets.ISO_8859_1);
			if (decoded.indexOf(':') > 0 && decoded.chars().allMatch((c) -> c >= 0x20 && c < 0x7f)) {
				return match.group().substring(0, match.start(1) - match.start()) + REDACTED;
			}
		}
		catch (IllegalArgumentException ex) {
			// not base64
		}
		return match.group();
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
		return redactedMessagesJson(role, redact(text));
	}

	private static String redactedMessagesJson(String role, String redactedText) {
		return "[{\"role\":\"" + role + "\",\"parts\":[{\"type\":\"text\",\"content\":\"" + jsonEscape(redactedText)
				+ "\"}]}]";
	}

	/**
	 * The completion as the GenAI semantic conventions' output message list
	 * ({@code gen_ai.output.messages}): one assistant message with its finish reason, when known.
	 *
	 * @param redactedText the completion as {@link #redact} returned it
	 */
	String outputMessagesJson(String redactedText, @Nullable String finishReason) {
		String message = redactedMessagesJson("assistant", redactedText);
		if (finishReason == null) {
			return message;
		}
		return message.substring(0, message.length() - 2) + ",\"finish_reason\":\"" + jsonEscape(finishReason)
				+ "\"}]";
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
