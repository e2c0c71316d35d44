package org.pstore.core.store;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * Chronicle rolls to a new cycle file when its clock enters a new day. This clock's "day" is the store's
 * generation, so a compaction rolls the log by moving the clock, and old generations are whole files that
 * can be deleted. The log's file names therefore read as dates counted from 1970-01-01, one per generation.
 */
public final class LogicalClock implements TimeProvider {
    static final long CYCLE_MILLIS = 86_400_000L;

    private volatile int generation;

    @Override
    public long currentTimeMillis() {
        return generation * CYCLE_MILLIS;
    }

    public int generation() {
        return generation;
    }

    public void generation(int generation) {
        this.generation = generation;
    }
}
