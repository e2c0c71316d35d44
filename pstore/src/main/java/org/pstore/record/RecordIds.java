package org.pstore.record;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Record ids: the boot number times 10^9 plus a sequence within the boot, so {@code 3000000007} is the 7th
 * record of boot 3. Unique per store and stable across restarts, since the boot number is a lifetime counter
 * kept in the store. Taking an id is one atomic increment.
 */
public final class RecordIds {
    public static final long PER_BOOT = 1_000_000_000L;
    /** Ids kept back for crash records: normal writes stop this far short of the end of the boot's range. */
    private static final long CRASH_HEADROOM = 10_000;

    private final long base;
    private final AtomicLong sequence = new AtomicLong(1);

    public RecordIds(long bootNumber) {
        this.base = bootNumber * PER_BOOT;
    }

    /** An id for a crash record; never fails. */
    public long next() {
        return base + sequence.getAndIncrement();
    }

    /** An id for a normal write, or -1 when this boot used its range up (a restart starts a new one). */
    public long nextNormal() {
        long seq = sequence.getAndIncrement();
        return seq < PER_BOOT - CRASH_HEADROOM ? base + seq : -1;
    }

    public static long bootOf(long id) {
        return id / PER_BOOT;
    }
}
