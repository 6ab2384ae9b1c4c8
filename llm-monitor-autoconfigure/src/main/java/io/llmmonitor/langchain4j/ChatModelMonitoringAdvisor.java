package io.llmmonitor.langchain4j;

/**
 * The former name of {@link ChatModelMonitoringPointcutAdvisor}, which applies the monitoring of
 * LangChain4j chat models; kept so that code naming it still compiles.
 * @deprecated since 0.1.0, for removal: use {@link ChatModelMonitoringPointcutAdvisor}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class ChatModelMonitoringAdvisor extends ChatModelMonitoringPointcutAdvisor {

	public ChatModelMonitoringAdvisor(ChatModelMonitoringInterceptor interceptor) {
		super(interceptor);
	}

}
