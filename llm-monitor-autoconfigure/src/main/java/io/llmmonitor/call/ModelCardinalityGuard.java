package io.llmmonitor.call;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Bounds the number of distinct {@code model} tag values: the first {@code maxModels} model names
 * are kept, later ones become {@value #OTHER} in metrics (spans keep the real name), with one
 * warning. Protects Prometheus from model names that come from requests.
 */
public final class ModelCardinalityGuard {

	/** Tag value of the models beyond the limit. */
	public static final String OTHER = "other";

	private static final Log logger = LogFactory.getLog(ModelCardinalityGuard.class);

	private final int maxModels;

	private final Set<String> admitted = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean warned = new AtomicBoolean();

	public ModelCardinalityGuard(int maxModels) {
		this.maxModels = maxModels;
	}

	/** The metric tag value for this model name. */
	public String tagFor(String model) {
		if (this.admitted.contains(model)) {
			return model;
		}
		synchronized (this) {
			if (this.admitted.contains(model)) {
				return model;
			}
			if (this.admitted.size() < this.maxModels) {
				this.admitted.add(model);
				return model;
			}
		}
		if (this.warned.compareAndSet(false, true)) {
			logger.warn("llm-monitor: more than " + this.maxModels + " distinct model names (latest: '" + model
					+ "'); metrics tag further models as model=\"" + OTHER
					+ "\", spans keep the real name. Raise llm.monitor.max-models if these models are legitimate.");
		}
		return OTHER;
	}

}
