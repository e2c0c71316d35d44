package org.pstore.panic;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads parked until the panic ends, in fixed slots so that neither they nor the waking side allocate
 * or lock. A thread that finds no free slot parks with a timeout instead.
 */
final class Waiters {
    private final AtomicReferenceArray<Thread> slots;

    Waiters(int capacity) {
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    /** Returns the slot taken, or -1 if all are taken. */
    int enlist(Thread thread) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, thread)) {
                return i;
            }
        }
        return -1;
    }

    void leave(int slot) {
        if (slot >= 0) {
            slots.set(slot, null);
        }
    }

    void wakeAll() {
        for (int i = 0; i < slots.length(); i++) {
            Thread t = slots.get(i);
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }
}
