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
        return Status.OK;
    }

    /** Crash-time callers: never waits, never allocates. */
    public boolean tryAcquire() {
        if (permit.tryAcquire()) {
            owner = Thread.currentThread();
            return true;
        }
        return false;
    }

    public void release() {
        owner = null;
        permit.release();
    }

    public boolean held() {
        return permit.availablePermits() == 0;
    }

    /** The thread holding the lock, for diagnostics (racy by nature). */
    public Thread owner() {
        return owner;
    }
}
