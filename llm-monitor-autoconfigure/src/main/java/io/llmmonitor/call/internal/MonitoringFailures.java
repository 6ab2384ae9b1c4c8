package io.llmmonitor.call.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Reports a failure inside monitoring without letting it reach the monitored call: a WARN the
 * first time a place fails, DEBUG after that, so a broken extractor cannot flood the log.
 */
public final class MonitoringFailures {

	private static final Log logger = LogFactory.getLog(MonitoringFailures.class);

	private static final int MAX_REMEMBERED_PLACES = 1024;

	private static final Set<String> reportedPlaces = ConcurrentHashMap.newKeySet();

	private MonitoringFailures() {
	}

	/**
	 * @param place what was being done, e.g. {@code "starting an LLM call observation"}
	 * @param failure what went wrong
	 */
	public static void report(String place, Throwable failure) {
		boolean first = reportedPlaces.size() < MAX_REMEMBERED_PLACES && reportedPlaces.add(place);
		if (first) {
			logger.warn("llm-monitor: failure while " + place
					+ "; the monitored call is unaffected (further failures here are logged at DEBUG)", failure);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("llm-monitor: failure while " + place, failure);
		}
	}

}
