package io.llmmonitor.call.internal;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DecimalsTests {

	@ParameterizedTest
	@ValueSource(doubles = { 0, 0.0000005, 0.0000015, 0.0000025, 0.0000035, 1.0000005, 2.5e-7, 4.9999995e-7, 0.05, 0.15,
			0.25, 0.35, 1.5, 2.5, 0.125, 0.0005, 0.0015, 123456.1234565, 1e15, 1e300, 5e-324, 0.1 + 0.2, -0.0, -0.0000005,
			-1.25, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, Double.MIN_NORMAL })
	void writesWhatStringFormatWritesForTiesAndEdges(double value) {
		for (int decimals : new int[] { 0, 1, 3, 6 }) {
			assertThat(Decimals.fixed(value, decimals)).as("%s with %d decimals", value, decimals)
				.isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
		}
	}

	@Test
	void writesWhatStringFormatWritesForCostsAndDurations() {
		SplittableRandom random = new SplittableRandom(20261206);
		DoubleStream costs = random.doubles(20_000, 0, 0.01);
		DoubleStream durations = random.longs(20_000, 0, 120_000_000_000L).mapToDouble((nanos) -> nanos / 1e9);
		DoubleStream halfMicros = random.longs(20_000, 0, 10_000_000L).mapToDouble((micros) -> (micros + 0.5) / 1e6);
		DoubleStream.concat(DoubleStream.concat(costs, durations), halfMicros).forEach((value) -> {
			assertThat(Decimals.fixed(value, 6)).as("%s", value)
				.isEqualTo(String.format(Locale.ROOT, "%.6f", value));
			assertThat(Decimals.fixed(value, 3)).as("%s", value)
				.isEqualTo(String.format(Locale.ROOT, "%.3f", value));
		});
	}

	@Test
	void writesWhatStringFormatWritesUpToAMillionWithEachNumberOfDecimals() {
		SplittableRandom random = new SplittableRandom(20261207);
		for (int decimals = 0; decimals <= 7; decimals++) {
			double power = Math.pow(10, decimals);
			for (int i = 0; i < 20_000; i++) {
				// anywhere below a million and above, and ties of this many decimals, exact or not
				double value = switch (i % 3) {
					case 0 -> random.nextDouble(0, 2e6);
					case 1 -> (random.nextLong(0, (long) (1e6 * power)) + 0.5) / power;
					default -> Math.nextUp((random.nextLong(0, (long) (1e6 * power)) + 0.5) / power);
				};
				assertThat(Decimals.fixed(value, decimals)).as("%s with %d decimals", value, decimals)
					.isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", value));
			}
		}
	}

}
