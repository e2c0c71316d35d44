package org.pstore.core.ops;

import org.pstore.core.Mode;

/**
 * The ops table chosen at open and why, e.g. "interruptible: probe write median 4200 us exceeds 1000 us".
 *
 * @param mode         INTERRUPTIBLE or LEGACY (never AUTO: AUTO is resolved into one of them)
 * @param reason       one line for people
 * @param medianMicros the probe's median write latency, or -1 when no probe ran
 */
public record ModeDecision(Mode mode, String reason, long medianMicros) {
}
