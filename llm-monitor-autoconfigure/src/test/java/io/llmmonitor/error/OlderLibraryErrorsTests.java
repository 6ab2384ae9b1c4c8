package io.llmmonitor.error;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Set;

import dev.langchain4j.exception.RateLimitException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classification with an older LangChain4j on the class path than the one it is built
 * against: {@code ContentFilteredException} exists since LangChain4j 1.2.0, the starter supports
 * 1.x. A class that the library lacks must neither fail the classification of every error (a
 * {@code NoClassDefFoundError} that the categorizer turns into {@code other}) nor hide the
 * categories the library's other exceptions tell.
 */
class OlderLibraryErrorsTests {

	@Test
	void langChain4jWithoutContentFilteredExceptionStillClassifies() throws Exception {
		Object classifier = classifierWithout(Set.of("dev.langchain4j.exception.ContentFilteredException"));
		assertThat(classify(classifier, new RateLimitException("slow down"))).isEqualTo("RATE_LIMITED");
		assertThat(classify(classifier,
				HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", null, null, null)))
			.isEqualTo("RATE_LIMITED");
		assertThat(classify(classifier, new dev.langchain4j.exception.InvalidRequestException("content_filter")))
			.isEqualTo("CONTENT_FILTER");
	}

	@Test
	void aMissingClassOfAnOptionalLibraryLeavesTheOtherLibrariesWorking() throws Exception {
		Object classifier = classifierWithout(Set.of("dev.langchain4j.exception.HttpException"));
		assertThat(classify(classifier,
				HttpClientErrorException.create(HttpStatus.UNAUTHORIZED, "Unauthorized", null, null, null)))
			.isEqualTo("AUTH");
		assertThat(classify(classifier,
				HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", null, null, null)))
			.isEqualTo("RATE_LIMITED");
	}

	private static String classify(Object classifier, Throwable error) throws Exception {
		Method classify = classifier.getClass().getMethod("classify", Throwable.class);
		return ((Enum<?>) classify.invoke(classifier, error)).name();
	}

	/** A DefaultLlmErrorClassifier loaded where the given classes do not exist. */
	private static Object classifierWithout(Set<String> hidden) throws Exception {
		ClassLoader loader = new HidingClassLoader(hidden, OlderLibraryErrorsTests.class.getClassLoader());
		return loader.loadClass(DefaultLlmErrorClassifier.class.getName()).getConstructor().newInstance();
	}

	/**
	 * Defines the classes of {@code io.llmmonitor.error} itself (so that they link against it),
	 * hides the given classes and delegates everything else.
	 */
	private static final class HidingClassLoader extends ClassLoader {

		private final Set<String> hidden;

		HidingClassLoader(Set<String> hidden, ClassLoader parent) {
			super(parent);
			this.hidden = hidden;
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (this.hidden.contains(name)) {
				throw new ClassNotFoundException(name);
			}
			if (!name.startsWith("io.llmmonitor.error.")) {
				return super.loadClass(name, resolve);
			}
			synchronized (getClassLoadingLock(name)) {
				Class<?> loaded = findLoadedClass(name);
				if (loaded == null) {
					String resource = name.replace('.', '/') + ".class";
					try (InputStream in = getParent().getResourceAsStream(resource)) {
						if (in == null) {
							throw new ClassNotFoundException(name);
						}
						byte[] bytes = in.readAllBytes();
						loaded = defineClass(name, bytes, 0, bytes.length);
					}
					catch (IOException ex) {
						throw new ClassNotFoundException(name, ex);
					}
				}
				if (resolve) {
					resolveClass(loaded);
				}
				return loaded;
			}
		}

		@Override
		public java.net.URL getResource(String name) {
			if (name.endsWith(".class")
					&& this.hidden.contains(name.substring(0, name.length() - 6).replace('/', '.'))) {
				return null;
			}
			return super.getResource(name);
		}

	}

}
