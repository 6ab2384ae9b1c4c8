package io.llmmonitor.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the GPUs of this host with {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits}.
 */
public class NvidiaSmi {

	/** The fields asked for, in the order of {@link GpuReading}. */
	static final String QUERY = "--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw";

	private static final double MIB = 1024 * 1024;

	private final String command;

	private final Duration timeout;

	/**
	 * @param command the {@code nvidia-smi} executable: a name found on the PATH, or a path
	 * @param timeout how long one reading may take before the process is killed
	 */
	public NvidiaSmi(String command, Duration timeout) {
		this.command = command;
		this.timeout = timeout;
	}

	/**
	 * The GPUs now.
	 * @throws IOException when the command cannot run, fails or takes too long
	 */
	public List<GpuReading> read() throws IOException {
		Process process = new ProcessBuilder(this.command, QUERY, "--format=csv,noheader,nounits")
			.redirectErrorStream(true)
			.start();
		try (InputStream output = process.getInputStream()) {
			if (!process.waitFor(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IOException(this.command + " gave no answer within " + this.timeout);
			}
			String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IOException(this.command + " exited with " + process.exitValue() + ": " + text.strip());
			}
			return parse(text);
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while reading " + this.command, ex);
		}
	}

	/**
	 * Parses the CSV lines of {@link #QUERY}; {@code [N/A]} and {@code [Not Supported]} become
	 * {@code NaN}.
	 * @throws IOException on a line that does not have the fields asked for
	 */
	static List<GpuReading> parse(String csv) throws IOException {
		List<GpuReading> readings = new ArrayList<>();
		for (String line : csv.split("\\R")) {
			if (line.isBlank()) {
				continue;
			}
			String[] fields = line.split(",");
			if (fields.length != 8) {
				throw new IOException("Unexpected nvidia-smi line (8 fields expected): " + line);
			}
			readings.add(new GpuReading(fields[0].trim(), fields[1].trim(), fields[2].trim(),
					number(fields[3]) / 100, number(fields[4]) * MIB, number(fields[5]) * MIB, number(fields[6]),
					number(fields[7])));
		}
		return readings;
	}

	private static double number(String field) {
		try {
			return Double.parseDouble(field.trim());
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	@Override
	public String toString() {
		return this.command;
	}

}
