package io.llmmonitor.usage;

import java.lang.reflect.Method;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A public accessor without parameters, found by name once per class, for reading the provider
 * types an extractor sees only as {@code Object} (a native usage, a provider's {@code TokenUsage}
 * subclass) without depending on the provider's module. Reading never throws: an absent or
 * failing accessor reads {@code null}, and an {@link Optional} is unwrapped.
 */
public final class ReflectiveAccessor {

	private final ClassValue<Optional<Method>> methods;

	private ReflectiveAccessor(String name) {
		this.methods = new ClassValue<>() {
			@Override
			protected Optional<Method> computeValue(Class<?> type) {
				try {
					Method method = type.getMethod(name);
					return (method.getParameterCount() == 0) ? Optional.of(method) : Optional.empty();
				}
				catch (NoSuchMethodException | RuntimeException ex) {
					return Optional.empty();
				}
			}
		};
	}

	/** The accessor of this name. */
	public static ReflectiveAccessor of(String name) {
		return new ReflectiveAccessor(name);
	}

	/** The accessor's value on the target, an {@link Optional} unwrapped; {@code null} when absent or unreadable. */
	public @Nullable Object read(@Nullable Object target) {
		if (target == null) {
			return null;
		}
		Method method = this.methods.get(target.getClass()).orElse(null);
		if (method == null) {
			return null;
		}
		try {
			Object value = method.invoke(target);
			return (value instanceof Optional<?> optional) ? optional.orElse(null) : value;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
