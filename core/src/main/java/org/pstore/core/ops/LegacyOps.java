package org.pstore.core.ops;

import org.pstore.core.CommitGate;
import org.pstore.core.NameBatch;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;
import org.pstore.core.store.VariableStore;

/**
 * The legacy synchronous ops: each call runs on the caller's thread under the store lock. This is the
 * table the panic notifier switches to; its {@link #setNonBlocking} only tries the lock. An {@link Error}
 * from the store (a fatal fault) propagates to the caller after the lock is released.
 */
public final class LegacyOps implements VariableOps {
    private final VariableStore store;
    private final StoreLock lock;
    private final long timeoutNanos;

    public LegacyOps(VariableStore store, StoreLock lock, long timeoutNanos) {
        this.store = store;
        this.lock = lock;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public Status get(Namespace namespace, CharSequence name, VariableBuffer out) {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            return store.get(namespace, name, out);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    @Override
    public Status nextName(NameCursor cursor) {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            return store.nextName(cursor);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    @Override
    public Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            return store.set(namespace, name, attributes, data, offset, length);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    /** The erases and the write under one acquisition of the store lock. */
    @Override
    public Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length, NameBatch eraseFirst) {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            if (!eraseFirst.isEmpty()) {
                Status erased = store.erase(namespace, eraseFirst, null);
                if (!erased.ok() && erased != Status.NOT_FOUND) {
                    return erased;
                }
            }
            return store.set(namespace, name, attributes, data, offset, length);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    /** As {@link #set}, going ahead only if {@code gate} says so at the write's point of no return. */
    public Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length, CommitGate gate) {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            return store.set(namespace, name, attributes, data, offset, length, gate);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    @Override
    public Status setNonBlocking(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
        if (!lock.tryAcquire()) {
            return Status.BUSY;
        }
        try {
            return store.setNonBlocking(namespace, name, attributes, data, offset, length);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    @Override
    public Status query(StoreSpace out) {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            return store.query(out);
        } finally {
            lock.release();
        }
    }

    /** Compacts now (normal path), under the lock. */
    public Status compact() {
        Status s = lock.acquire(timeoutNanos);
        if (!s.ok()) {
            return s;
        }
        try {
            return store.compact();
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        } finally {
            lock.release();
        }
    }

    @Override
    public String name() {
        return "legacy";
    }

    /** For the worker, which takes the lock once for a whole group of operations. */
    VariableStore store() {
        return store;
    }

    StoreLock lock() {
        return lock;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }
}
