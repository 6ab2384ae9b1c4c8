package io.llmmonitor.gpu;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.llmmonitor.docs.LlmMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * GPU metrics of the host, for applications that serve models on their own GPUs: utilization,
 * memory, temperature and power of each GPU, read with {@code nvidia-smi} on a daemon thread every
 * interval (never during a scrape). Gauges, tagged {@code gpu} (index) and {@code name}:
 * {@code llm_gpu_utilization_ratio}, {@code llm_gpu_memory_used_bytes},
 * {@code llm_gpu_memory_total_bytes}, {@code llm_gpu_temperature_celsius},
 * {@code llm_gpu_power_watts}. A failing read is logged at WARN once (then at DEBUG) and leaves
 * the gauges at {@code NaN} until a read succeeds again.
 */
public class GpuMetrics implements MeterBinder, AutoCloseable {

	private static final Log logger = LogFactory.getLog(GpuMetrics.class);

	private final NvidiaSmi nvidiaSmi;

	private final Duration interval;

	/** The last reading of each GPU by index; emptied when a read fails. */
	private final Map<String, GpuReading> readings = new ConcurrentHashMap<>();

	private final Set<String> registered = ConcurrentHashMap.newKeySet();

	private volatile boolean failing;

	private @Nullable MeterRegistry registry;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * @param nvidiaSmi how the GPUs are read
	 * @param interval time between two reads
	 */
	public GpuMetrics(NvidiaSmi nvidiaSmi, Duration interval) {
		this.nvidiaSmi = nvidiaSmi;
		this.interval = interval;
	}

	/**
	 * Starts reading: at once, then every interval, on a daemon thread. The gauges of a GPU are
	 * registered when it is first seen.
	 */
	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registry = registry;
		if (this.executor == null) {
			ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "llm-monitor-gpu");
				thread.setDaemon(true);
				return thread;
			});
			long millis = this.interval.toMillis();
			executor.scheduleWithFixedDelay(this::refresh, 0, millis, TimeUnit.MILLISECONDS);
			this.executor = executor;
		}
	}

	/** Reads the GPUs and registers the gauges of any GPU seen for the first time. */
	void refresh() {
		List<GpuReading> now;
		try {
			now = this.nvidiaSmi.read();
		}
		catch (IOException | RuntimeException ex) {
			this.readings.clear();
			if (!this.failing) {
				this.failing = true;
				logger.warn("Cannot read GPU metrics with " + this.nvidiaSmi + " (gauges show NaN until it works): "
						+ ex.getMessage());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Cannot read GPU metrics with " + this.nvidiaSmi, ex);
			}
			return;
		}
		if (this.failing) {
			this.failing = false;
			logger.info("GPU metrics readable again with " + this.nvidiaSmi);
		}
		for (GpuReading reading : now) {
			this.readings.put(reading.index(), reading);
			if (this.registry != null && this.registered.add(reading.index())) {
				register(this.registry, reading);
			}
		}
	}

	private void register(MeterRegistry registry, GpuReading gpu) {
		Tags tags = Tags.of("gpu", gpu.index(), "name", gpu.name());
		gauge(registry, LlmMeters.GPU_UTILIZATION, tags, gpu, GpuReading::utilization);
		gauge(registry, LlmMeters.GPU_MEMORY_USED, tags, gpu, GpuReading::memoryUsedBytes);
		gauge(registry, LlmMeters.GPU_MEMORY_TOTAL, tags, gpu, GpuReading::memoryTotalBytes);
		gauge(registry, LlmMeters.GPU_TEMPERATURE, tags, gpu, GpuReading::temperatureCelsius);
		gauge(registry, LlmMeters.GPU_POWER, tags, gpu, GpuReading::powerWatts);
	}

	private void gauge(MeterRegistry registry, LlmMeters meter, Tags tags, GpuReading gpu,
			ToDoubleFunction<GpuReading> value) {
		Gauge.builder(meter.getName(), this, (metrics) -> {
			GpuReading reading = metrics.readings.get(gpu.index());
			return (reading != null) ? value.applyAsDouble(reading) : Double.NaN;
		}).baseUnit(meter.getBaseUnit()).description(meter.getDescription()).tags(tags).register(registry);
	}

	@Override
	public synchronized void close() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

}
