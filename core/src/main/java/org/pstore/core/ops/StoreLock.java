package org.pstore.core.ops;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.pstore.core.Status;

/**
 * The store lock: a binary semaphore, as Linux's efivars_lock. A semaphore rather than a mutex because the
 * crash-time writer only tries it, from whatever thread panics, and must never wait for its holder.
 */
public final class StoreLock {
    private final Semaphore permit = new Semaphore(1);
    private volatile Thread owner;
    /** When the holder took the lock (System.nanoTime), 0 while free or not yet stamped. */
    private volatile long acquiredAt;

    /** Normal callers: waits up to {@code timeoutNanos}, interruptibly. OK, BUSY (timed out) or ABORTED (interrupted; the flag is restored). */
    public Status acquire(long timeoutNanos) {
        try {
            if (!permit.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
                return Status.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.ABORTED;
        }
        owner = Thread.currentThread();
        acquiredAt = System.nanoTime();
        return Status.OK;
    }

    /** Crash-time callers: never waits, never allocates. */
    public boolean tryAcquire() {
        if (permit.tryAcquire()) {
            owner = Thread.currentThread();
            acquiredAt = System.nanoTime();
            return true;
        }
        return false;
    }

    public void release() {
        owner = null;
        acquiredAt = 0;
        permit.release();
    }

    public boolean held() {
        return permit.availablePermits() == 0;
    }

    /**
     * Whether one holder has kept the lock for more than {@code nanos}: a stuck operation, as opposed to one
     * that holds it now and then for its microseconds. Racy by nature, allocation-free.
     */
    public boolean heldLongerThan(long nanos) {
        long since = acquiredAt;
        return since != 0 && held() && System.nanoTime() - since > nanos;
    }

    /** The thread holding the lock, for diagnostics (racy by nature). */
    public Thread owner() {
        return owner;
    }
}
