/**
 * Web handler return values whose response completes after the method returned: reactive bodies and
 * Spring MVC asynchronous returns.
 */
@NullMarked
package io.llmmonitor.web;

import org.jspecify.annotations.NullMarked;
