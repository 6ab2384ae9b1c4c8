/**
 * What users think of an answer: scores recorded for a call, by its handle or its trace id, as a
 * metric by model and a span linked to the call's span.
 */
@NullMarked
package io.llmmonitor.feedback;

import org.jspecify.annotations.NullMarked;
