package io.llmmonitor.aop;

import java.lang.reflect.Proxy;
import java.util.List;

import io.llmmonitor.annotation.MonitoredEndpoint;
import io.llmmonitor.annotation.MonitoredLlmCall;
import io.llmmonitor.support.SimpleTracingConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.Advisor;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.aspectj.AspectJExpressionPointcut;
import org.springframework.aop.aspectj.annotation.ReflectiveAspectJAdvisorFactory;
import org.springframework.aop.aspectj.annotation.SingletonMetadataAwareAspectInstanceFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which methods the aspect advises, by where the annotation sits, as {@code docs/reference.md}
 * says ("Where the annotations apply"), and that its pointcuts are decided once per method.
 */
class AnnotationPlacementTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(MonitoringAspectTests.BOOT_AND_LLM_MONITOR)
		.withUserConfiguration(Beans.class);

	/**
	 * Spring AOP evaluates a pointcut that may need a dynamic test again on every call (an
	 * {@code @annotation(...)} one does: a shadow match lookup, a runtime test walker, the join
	 * point match stored on the invocation); every advice of the aspect is decided once per method.
	 */
	@Test
	void everyPointcutOfTheAspectIsDecidedWhenTheProxyIsMade() {
		this.runner.run((context) -> {
			List<Advisor> advisors = new ReflectiveAspectJAdvisorFactory().getAdvisors(
					new SingletonMetadataAwareAspectInstanceFactory(context.getBean(MonitoringAspect.class), "aspect"));
			assertThat(advisors).hasSize(2);
			assertThat(advisors).allSatisfy((advisor) -> {
				AspectJExpressionPointcut pointcut = (AspectJExpressionPointcut) ((PointcutAdvisor) advisor)
					.getPointcut();
				assertThat(pointcut.isRuntime()).as("a test on every call for %s", pointcut.getExpression()).isFalse();
			});
		});
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void theAnnotationOfTheMethodThatRunsWinsOverTheInterfaceOnes(boolean proxyTargetClass) {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run((context) -> {
			Api bean = annotatedTwice(context, proxyTargetClass);
			bean.both();

			assertThat(calls(context, "implementation-model")).isEqualTo(1);
			assertThat(calls(context, "interface-model")).isZero();
		});
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void anAnnotationOnlyOnTheInterfaceIsNotSeen(boolean proxyTargetClass) {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run((context) -> {
			Api bean = annotatedTwice(context, proxyTargetClass);
			assertThat(bean.interfaceOnly()).isEqualTo("interface only");
			bean.both();

			assertThat(calls(context, "interface-model")).isZero();
			assertThat(calls(context, "implementation-model")).isEqualTo(1);
		});
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void anInterfaceDefaultMethodTheClassDoesNotOverrideIsTheMethodThatRuns(boolean proxyTargetClass) {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run((context) -> {
			assertThat(annotatedTwice(context, proxyTargetClass).byDefault()).isEqualTo("default");

			assertThat(calls(context, "default-model")).isEqualTo(1);
		});
	}

	/** The expressions name the parameters of the method that runs, whichever proxy calls it. */
	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void expressionsReadTheParametersOfTheMethodThatRuns(boolean proxyTargetClass) {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run((context) -> {
			Api bean = annotatedTwice(context, proxyTargetClass);
			assertThat(bean.ask(new Question("asked-model"))).isEqualTo("answer");

			assertThat(calls(context, "asked-model")).isEqualTo(1);
		});
	}

	/** A bare argument, read without SpEL, is named as the method that runs names it too. */
	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void bareArgumentsReadTheParametersOfTheMethodThatRuns(boolean proxyTargetClass) {
		this.runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run((context) -> {
			Api bean = annotatedTwice(context, proxyTargetClass);
			bean.askFor("bare-model");

			assertThat(calls(context, "bare-model")).isEqualTo(1);
		});
	}

	/**
	 * An endpoint on an interface-proxy bean is named after the interface it proxies, not a
	 * generated $ProxyNN, nor the super-interface that declares the method.
	 */
	@Test
	void anEndpointOfAnInterfaceProxyIsNamedAfterTheInterfaceItProxies() {
		this.runner.withBean("interfaceProxy", Api.class, () -> interfaceProxy(Api.class))
			.withBean("subProxy", SubApi.class, () -> interfaceProxy(SubApi.class))
			.run((context) -> {
				context.getBean("interfaceProxy", Api.class).serve();
				context.getBean("subProxy", SubApi.class).serve();

				assertThat(meters(context).get("llm.endpoint.duration").tag("endpoint", "Api.serve").timer().count())
					.isEqualTo(1);
				assertThat(meters(context).get("llm.endpoint.duration").tag("endpoint", "SubApi.serve").timer().count())
					.isEqualTo(1);
			});
	}

	/** A bean that is an interface proxy (an {@code @HttpExchange} client) has its interface's annotations. */
	@Test
	void aBeanThatIsAnInterfaceProxyIsAdvisedByItsInterfaceAnnotations() {
		this.runner.withBean("interfaceProxy", Api.class, () -> interfaceProxy(Api.class)).run((context) -> {
			assertThat(context.getBean("interfaceProxy", Api.class).interfaceOnly()).isEqualTo("interfaceOnly");

			assertThat(calls(context, "interface-model")).isEqualTo(1);
		});
	}

	/** A bean that is itself a JDK proxy of the interface, answering each call with the method's name. */
	private static <T> T interfaceProxy(Class<T> type) {
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> method.getName()));
	}

	/** The bean annotated on its interface and its class, behind the proxy kind the test asked for. */
	private static Api annotatedTwice(AssertableApplicationContext context, boolean proxyTargetClass) {
		Api bean = context.getBean("annotatedTwice", Api.class);
		assertThat(AopUtils.isJdkDynamicProxy(bean)).isEqualTo(!proxyTargetClass);
		return bean;
	}

	@Test
	void anInheritedMethodIsAdvisedAndAnOverrideWithoutTheAnnotationIsNot() {
		this.runner.run((context) -> {
			Child child = context.getBean(Child.class);
			child.inherited();
			assertThat(child.overridden()).isEqualTo("child");

			assertThat(calls(context, "inherited-model")).isEqualTo(1);
			assertThat(calls(context, "overridden-model")).isZero();
		});
	}

	@Test
	void aGenericMethodCalledThroughItsBridgeIsOneCall() {
		this.runner.run((context) -> {
			Generic<String> generic = context.getBean(StringGeneric.class);
			assertThat(generic.echo("hi")).isEqualTo("hi");
			context.getBean(StringGeneric.class).echo("hi");

			assertThat(calls(context, "generic-model")).isEqualTo(2);
		});
	}

	private static long calls(AssertableApplicationContext context, String model) {
		Timer timer = meters(context).find("llm.request.duration").tag("model", model).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private static MeterRegistry meters(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(SimpleTracingConfiguration.class)
	static class Beans {

		@Bean
		Api annotatedTwice() {
			return new AnnotatedTwice();
		}

		@Bean
		Child child() {
			return new Child();
		}

		@Bean
		StringGeneric stringGeneric() {
			return new StringGeneric();
		}

	}

	interface Api {

		@MonitoredLlmCall(model = "interface-model", provider = "acme")
		String both();

		@MonitoredLlmCall(model = "interface-model", provider = "acme")
		String interfaceOnly();

		String ask(Question question);

		String askFor(String name);

		@MonitoredEndpoint
		String serve();

		@MonitoredLlmCall(model = "default-model", provider = "acme")
		default String byDefault() {
			return "default";
		}

	}

	interface SubApi extends Api {

	}

	record Question(String model) {
	}

	static class AnnotatedTwice implements Api {

		@Override
		@MonitoredLlmCall(model = "implementation-model", provider = "acme")
		public String both() {
			return "both";
		}

		@Override
		public String interfaceOnly() {
			return "interface only";
		}

		@Override
		@MonitoredLlmCall(model = "#request.model", provider = "acme")
		public String ask(Question request) {
			return "answer";
		}

		@Override
		@MonitoredLlmCall(model = "#modelName", provider = "acme")
		public String askFor(String modelName) {
			return "answer";
		}

		@Override
		public String serve() {
			return "served";
		}

	}

	static class Parent {

		@MonitoredLlmCall(model = "inherited-model", provider = "acme")
		public String inherited() {
			return "parent";
		}

		@MonitoredLlmCall(model = "overridden-model", provider = "acme")
		public String overridden() {
			return "parent";
		}

	}

	static class Child extends Parent {

		@Override
		public String overridden() {
			return "child";
		}

	}

	static class Generic<T> {

		public T echo(T value) {
			return value;
		}

	}

	static class StringGeneric extends Generic<String> {

		@Override
		@MonitoredLlmCall(model = "generic-model", provider = "acme")
		public String echo(String value) {
			return value;
		}

	}

}
