/**
 * Cheap signals of answer quality: finish reasons, empty answers, and, opt-in, refusals and
 * repetition read from the captured completion off the calling thread.
 */
@NullMarked
package io.llmmonitor.quality;

import org.jspecify.annotations.NullMarked;
