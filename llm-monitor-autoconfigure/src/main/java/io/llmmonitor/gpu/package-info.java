/**
 * GPU metrics of the host, read with {@code nvidia-smi}, for applications that serve models on
 * their own GPUs.
 */
@NullMarked
package io.llmmonitor.gpu;

import org.jspecify.annotations.NullMarked;
