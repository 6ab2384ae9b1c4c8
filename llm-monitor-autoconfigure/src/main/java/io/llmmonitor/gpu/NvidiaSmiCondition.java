package io.llmmonitor.gpu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the {@code nvidia-smi} of {@code llm.monitor.gpu.command} can be run: a path to an
 * executable file, or a name found on the {@code PATH}.
 */
public class NvidiaSmiCondition extends SpringBootCondition {

	/** The property naming the command. */
	public static final String COMMAND_PROPERTY = "llm.monitor.gpu.command";

	/** The command when the property is not set. */
	public static final String DEFAULT_COMMAND = "nvidia-smi";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String command = context.getEnvironment().getProperty(COMMAND_PROPERTY, DEFAULT_COMMAND);
		Path executable = find(command, System.getenv("PATH"));
		return (executable != null) ? ConditionOutcome.match(command + " found at " + executable)
				: ConditionOutcome.noMatch(command + " not found: no GPU metrics");
	}

	/** The executable this command names, or {@code null}. */
	static @Nullable Path find(String command, @Nullable String path) {
		if (command.isBlank()) {
			return null;
		}
		if (command.contains(File.separator)) {
			Path file = Path.of(command);
			return Files.isRegularFile(file) && Files.isExecutable(file) ? file : null;
		}
		if (path == null) {
			return null;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path file = Path.of(directory, command);
				if (Files.isRegularFile(file) && Files.isExecutable(file)) {
					return file;
				}
			}
		}
		return null;
	}

}
