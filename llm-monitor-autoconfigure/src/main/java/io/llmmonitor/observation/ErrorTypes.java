package io.llmmonitor.observation;

/**
 * The class that names a call's error. A timeout is one kind of error whichever API raised it:
 * when the error is, or wraps, a timeout (an exception whose class or a superclass is named
 * {@code ...TimeoutException}: {@code java.util.concurrent.TimeoutException} from Reactor's
 * {@code timeout()} or {@code CompletableFuture.orTimeout}, {@code SocketTimeoutException},
 * {@code HttpTimeoutException}, Netty's {@code ReadTimeoutException}, ...), the timeout names
 * it, so that {@code ResourceAccessException} caused by a read timeout reads
 * {@code SocketTimeoutException}.
 */
public final class ErrorTypes {

	/** Causes looked at, at most: a cycle or a very deep chain ends the search. */
	private static final int MAX_DEPTH = 16;

	private ErrorTypes() {
	}

	/** The class naming this error: the timeout it is or wraps, else its own. */
	public static Class<? extends Throwable> errorClass(Throwable error) {
		Throwable cause = error;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (isTimeout(cause.getClass())) {
				return cause.getClass();
			}
			if (cause.getCause() == cause) {
				break;
			}
			cause = cause.getCause();
		}
		return error.getClass();
	}

	/** Whether the error is, or wraps, a timeout: the rule that {@link #errorClass} follows. */
	public static boolean isOrWrapsTimeout(Throwable error) {
		return isTimeout(errorClass(error));
	}

	private static boolean isTimeout(Class<?> type) {
		for (Class<?> candidate = type; candidate != null && candidate != Throwable.class; candidate = candidate
			.getSuperclass()) {
			if (candidate.getSimpleName().endsWith("TimeoutException")) {
				return true;
			}
		}
		return false;
	}

}
