package io.llmmonitor.call.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Fixed-point text of a number, the same as {@code String.format(Locale.ROOT, "%.<n>f", value)}
 * at a third of its cost: a {@code Formatter} parses its pattern with a regular expression on
 * every call, and the span attributes and the call log format numbers on every call.
 */
public final class Decimals {

	private Decimals() {
	}

	/**
	 * {@code value} with {@code decimals} digits after the point, rounded half up as
	 * {@code String.format} rounds.
	 */
	public static String fixed(double value, int decimals) {
		// the digits that Formatter rounds are Double.toString's, which BigDecimal.valueOf reads;
		// NaN, infinities and negative numbers (-0.0 prints "-0.000000") take Formatter's own path
		if (Double.isFinite(value) && Double.doubleToRawLongBits(value) >= 0) {
			return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
		}
		return String.format(Locale.ROOT, "%." + decimals + "f", value);
	}

}
