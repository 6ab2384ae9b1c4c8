package io.llmmonitor.springai;

/**
 * The former name of {@link ChatModelMonitoringPointcutAdvisor}, kept so that code naming it
 * still compiles.
 * @deprecated since 0.1.0, for removal: use {@link ChatModelMonitoringPointcutAdvisor} (a Spring
 * AOP advisor, not a Spring AI one such as {@link ChatClientMonitoringAdvisor})
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public class ChatModelMonitoringAdvisor extends ChatModelMonitoringPointcutAdvisor {

	public ChatModelMonitoringAdvisor(ChatModelMonitoringInterceptor interceptor) {
		super(interceptor);
	}

}
