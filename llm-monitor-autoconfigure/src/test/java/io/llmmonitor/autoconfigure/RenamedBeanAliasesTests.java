package io.llmmonitor.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import io.llmmonitor.call.LlmMonitor;
import io.llmmonitor.call.internal.InvocationObserver;
import io.llmmonitor.call.internal.ReactiveReturnValueObserver;
import io.llmmonitor.reactive.ReactorReturnValueObserver;
import io.llmmonitor.springai.ChatModelMonitoringInterceptor;
import io.llmmonitor.springai.ChatModelMonitoringPointcutAdvisor;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The beans renamed in 0.1.0 keep their former names as aliases, and a bean of a renamed public
 * class declared under its former name still replaces llm-monitor's (see {@code CHANGELOG.md}).
 */
class RenamedBeanAliasesTests {

	/** New bean name to former bean name. */
	private static final Map<String, String> RENAMED = Map.of("llmChatModelMonitoringPointcutAdvisor",
			"llmChatModelMonitoringAdvisor", "llmLangChain4jChatModelMonitoringPointcutAdvisor",
			"llmLangChain4jChatModelMonitoringAdvisor", "llmReactiveReturnValueObserver", "llmReactiveReturnValues",
			"llmWebDeferredReturnValueObserver", "llmWebDeferredReturnValues");

	private static final StaticListableBeanFactory NO_BEANS = new StaticListableBeanFactory();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, LlmMonitorAutoConfiguration.class,
				LlmMonitorSpringAiAutoConfiguration.class, LlmMonitorLangChain4jAutoConfiguration.class));

	@Test
	void theFormerNameOfARenamedBeanResolvesToTheSameBean() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			RENAMED.forEach((name, formerName) -> {
				assertThat(context).as(name).hasBean(name);
				assertThat(context.getBean(formerName)).as(formerName).isSameAs(context.getBean(name));
			});
		});
	}

	/**
	 * A user's bean under the former name, or the new one, of llm-monitor's type replaces
	 * llm-monitor's: the back-off goes by type, and the alias of a bean that backed off is never
	 * registered to collide with the user's name.
	 */
	@Test
	void aUsersBeanUnderTheFormerOrTheNewNameReplacesTheAutoConfiguredOne() {
		for (String name : new String[] { "llmReactiveReturnValues", "llmReactiveReturnValueObserver" }) {
			ReactorReturnValueObserver mine = new ReactorReturnValueObserver();
			this.runner.withBean(name, ReactiveReturnValueObserver.class, () -> mine)
				.run((context) -> assertThat(context).hasNotFailed()
					.getBeans(ReactiveReturnValueObserver.class)
					.as(name)
					.containsExactly(Map.entry(name, mine)));
		}
	}

	/**
	 * A bean of the user's own that has a former name but nothing to do with llm-monitor keeps it:
	 * the alias is left out, and llm-monitor's bean stays under its new name.
	 */
	@Test
	void aFormerNameTakenByAnUnrelatedBeanOfTheUsersStaysTheUsers() {
		RENAMED.forEach((name, formerName) -> this.runner.withBean(formerName, String.class, () -> "mine")
			.run((context) -> {
				assertThat(context).as(formerName).hasNotFailed();
				assertThat(context.getBean(formerName)).as(formerName).isEqualTo("mine");
				assertThat(context.getBeanFactory().getBeanDefinition(formerName).getResolvableType().toClass())
					.as(formerName)
					.isEqualTo(String.class);
				assertThat(context).as(name).hasBean(name);
				assertThat(context.getBean(name)).as(name).isNotInstanceOf(String.class);
			}));
	}

	/** A singleton the application registered itself under a former name keeps it too. */
	@Test
	void aFormerNameTakenByASingletonOfTheUsersStaysTheUsers() {
		RENAMED.forEach((name, formerName) -> this.runner
			.withInitializer((context) -> context.getBeanFactory().registerSingleton(formerName, "mine"))
			.run((context) -> {
				assertThat(context).as(formerName).hasNotFailed();
				assertThat(context.getBean(formerName)).as(formerName).isEqualTo("mine");
				assertThat(context).as(name).hasBean(name);
			}));
	}

	/**
	 * Registered before Spring's AOT processing reads the bean factory, the aliases are in the
	 * registrations it generates for the application's start.
	 */
	@Test
	void theFormerNamesAreWrittenIntoTheAheadOfTimeRegistrations() {
		this.runner.prepare((context) -> {
			InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
			DefaultGenerationContext generation = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(RenamedBeanAliasesTests.class)), files);
			new ApplicationContextAotGenerator().processAheadOfTime(
					(GenericApplicationContext) context.getSourceApplicationContext(), generation);
			generation.writeGeneratedContent();
			String sources = files.getGeneratedFiles(Kind.SOURCE).values().stream().map((source) -> {
				try (InputStream in = source.getInputStream()) {
					return new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}).collect(Collectors.joining());
			RENAMED.forEach((name, formerName) -> assertThat(sources)
				.contains("registerAlias(\"" + name + "\", \"" + formerName + "\")"));
		});
	}

	@Test
	@SuppressWarnings("removal")
	void aBeanOfTheFormerClassStillReplacesTheAutoConfiguredOne() {
		this.runner
			.withBean("myAdvisor", io.llmmonitor.springai.ChatModelMonitoringAdvisor.class,
					() -> new io.llmmonitor.springai.ChatModelMonitoringAdvisor(new ChatModelMonitoringInterceptor(
							NO_BEANS.getBeanProvider(LlmMonitor.class), NO_BEANS.getBeanProvider(InvocationObserver.class))))
			.run((context) -> assertThat(context).hasNotFailed()
				.getBeanNames(ChatModelMonitoringPointcutAdvisor.class)
				.containsExactly("myAdvisor"));
	}

}
