package io.llmmonitor.call.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Fixed-point text of a number, the same as {@code String.format(Locale.ROOT, "%.<n>f", value)}
 * at a fraction of its cost: a {@code Formatter} parses its pattern with a regular expression on
 * every call, and the span attributes and the call log format numbers on every call.
 */
public final class Decimals {

	private static final long[] POWERS_OF_TEN = { 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000 };

	/** Below this, a value times 10^6 is a double within 2e-4 of its exact decimal text's. */
	private static final double SCALED_LIMIT = 1e6;

	/** How far from a tie the scaled value must be to round as its decimal text rounds. */
	private static final double TIE_MARGIN = 1e-3;

	private Decimals() {
	}

	/**
	 * {@code value} with {@code decimals} digits after the point, rounded half up as
	 * {@code String.format} rounds.
	 */
	public static String fixed(double value, int decimals) {
		// Formatter rounds the digits of Double.toString half up. Under a million and with at most six
		// decimals, the value scaled by a double product rounds the same unless it lies within
		// TIE_MARGIN of a tie: the usual durations and costs take that path, with no BigDecimal
		if (decimals >= 0 && decimals < POWERS_OF_TEN.length && value < SCALED_LIMIT
				&& Double.doubleToRawLongBits(value) >= 0) {
			double scaled = value * POWERS_OF_TEN[decimals];
			if (Math.abs(scaled - Math.floor(scaled) - 0.5) > TIE_MARGIN) {
				return text(Math.round(scaled), decimals);
			}
		}
		// the digits that Formatter rounds are Double.toString's, which BigDecimal.valueOf reads;
		// NaN, infinities and negative numbers (-0.0 prints "-0.000000") take Formatter's own path
		if (Double.isFinite(value) && Double.doubleToRawLongBits(value) >= 0) {
			return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
		}
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

	/** {@code scaled / 10^decimals} with all its decimals: {@code text(5, 3)} is {@code 0.005}. */
	private static String text(long scaled, int decimals) {
		if (decimals == 0) {
			return Long.toString(scaled);
		}
		long power = POWERS_OF_TEN[decimals];
		long fraction = scaled % power;
		StringBuilder text = new StringBuilder(24).append(scaled / power).append('.');
		for (long digit = power / 10; digit > 1 && fraction < digit; digit /= 10) {
			text.append('0');
		}
		return text.append(fraction).toString();
	}

}
