package io.llmmonitor.autoconfigure;

import java.util.Arrays;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.SingletonBeanRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;

/**
 * The former names of the beans renamed in 0.1.0 (see {@code CHANGELOG.md}), deprecated, as
 * aliases of their new names, registered once every configuration has been read, and only where
 * the name is free: a bean definition or singleton of the application's own under a former name,
 * whatever its type, keeps it. A definition registered later still under a former name (by a
 * plain {@code BeanFactoryPostProcessor}) meets the alias: Spring then refuses it unless bean
 * definition overriding is allowed, as it would have refused it before the rename.
 * <p>
 * The aliases are in the bean factory before Spring's AOT processing reads it, which writes them
 * into the generated registrations; at the start of such an application they are there already.
 */
final class RenamedBeanAliases implements BeanDefinitionRegistryPostProcessor {

	private static final Log logger = LogFactory.getLog(RenamedBeanAliases.class);

	/** New bean name to former bean name. */
	private static final Map<String, String> FORMER_NAMES = Map.of("llmChatModelMonitoringPointcutAdvisor",
			"llmChatModelMonitoringAdvisor", "llmLangChain4jChatModelMonitoringPointcutAdvisor",
			"llmLangChain4jChatModelMonitoringAdvisor", "llmReactiveReturnValueObserver", "llmReactiveReturnValues",
			"llmWebDeferredReturnValueObserver", "llmWebDeferredReturnValues");

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		FORMER_NAMES.forEach((name, formerName) -> {
			if (!registry.containsBeanDefinition(name)
					|| Arrays.asList(registry.getAliases(name)).contains(formerName)) {
				return;
			}
			if (registry.containsBeanDefinition(formerName) || registry.isAlias(formerName)
					|| (registry instanceof SingletonBeanRegistry singletons && singletons.containsSingleton(formerName))) {
				logger.debug("'" + formerName + "' is a bean name of the application's: it is not registered as"
						+ " the former name (deprecated alias) of '" + name + "'");
				return;
			}
			registry.registerAlias(name, formerName);
		});
	}

}
