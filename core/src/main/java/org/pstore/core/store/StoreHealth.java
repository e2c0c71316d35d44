package org.pstore.core.store;

import java.util.List;

/**
 * What a store found wrong when it was opened, and how it has been kept since.
 *
 * @param corruptEntries entries that failed validation (torn or damaged) and were skipped, never applied
 * @param quarantined    files that could not be used and were moved aside as {@code *.corrupt}, each with why
 * @param compactions    compactions since open
 * @param generation     the log generation now written
 */
public record StoreHealth(long corruptEntries, List<String> quarantined, long compactions, int generation) {
}
