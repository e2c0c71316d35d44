package org.pstore.core.store;

import java.util.List;

/**
 * What a store found wrong when it was opened, and how it has been kept since.
 *
 * @param corruptEntries entries that failed validation (torn or damaged) and were skipped, never applied
 * @param healing        files moved into the quarantine at open (each with why) and repairs that lost nothing:
 *                       what the pstore layer records
 * @param compactions    compactions since open
 * @param generation     the log generation now written
 */
public record StoreHealth(long corruptEntries, Healing healing, long compactions, int generation) {
    /** The files moved into the quarantine at open. */
    public List<Quarantine.Entry> quarantined() {
        return healing.quarantined();
    }
}
