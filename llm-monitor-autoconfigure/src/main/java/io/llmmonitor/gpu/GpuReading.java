package io.llmmonitor.gpu;

/**
 * One GPU as {@code nvidia-smi} saw it; a figure it could not give is {@code NaN}.
 *
 * @param index the GPU's index on this host
 * @param uuid its UUID
 * @param name its product name
 * @param utilization share of time a kernel ran, 0 to 1
 * @param memoryUsedBytes memory in use
 * @param memoryTotalBytes memory in all
 * @param temperatureCelsius core temperature
 * @param powerWatts power draw
 */
public record GpuReading(String index, String uuid, String name, double utilization, double memoryUsedBytes,
		double memoryTotalBytes, double temperatureCelsius, double powerWatts) {
}
