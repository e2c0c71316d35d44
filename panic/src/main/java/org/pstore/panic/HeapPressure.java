package org.pstore.panic;

import java.util.concurrent.locks.LockSupport;

/**
 * What the heap-hungry parts of the report do when the JDK call they need fails with OutOfMemoryError:
 * give back the heap reserve if it is still held and collect; then collect again after short pauses, which
 * let the threads that keep allocating reach their own OutOfMemoryError and park in the panic (their
 * garbage then becomes collectable). Bounded: after {@link #ATTEMPTS} the part is named as lost.
 * Allocates nothing.
 */
final class HeapPressure {
    static final int ATTEMPTS = 4;
    private static final long[] PAUSE_NANOS = {0, 10_000_000L, 50_000_000L, 200_000_000L};

    private final HeapReserve reserve;

    HeapPressure(HeapReserve reserve) {
        this.reserve = reserve;
    }

    /** Called after attempt {@code failed} (0-based) failed; true when another attempt is worth making. */
    boolean recover(int failed) {
        if (failed + 1 >= ATTEMPTS) {
            return false;
        }
        reserve.release();
        if (PAUSE_NANOS[failed] > 0) {
            LockSupport.parkNanos(this, PAUSE_NANOS[failed]);
        }
        System.gc();
        return true;
    }
}
