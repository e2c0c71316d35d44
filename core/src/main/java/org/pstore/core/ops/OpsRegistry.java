package org.pstore.core.ops;

import java.util.concurrent.atomic.AtomicReference;

import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;

/**
 * Exactly one ops table is active, as with Linux's efivars_register: registering while one is active is
 * refused (BUSY), replacing is explicit. The panic-time {@link #switchTo} is a single atomic reference
 * store: it cannot fail, block or allocate, and doing it twice is harmless.
 */
public final class OpsRegistry {
    /** Answers every call with DEVICE_ERROR: what callers reach before a table is registered. */
    public static final VariableOps NONE = new Unregistered();

    private final AtomicReference<VariableOps> active = new AtomicReference<>();
    private volatile String reason = "no ops table registered";

    /** Registers a table when none is active; BUSY otherwise. */
    public Status register(VariableOps ops, String why) {
        if (!active.compareAndSet(null, ops)) {
            return Status.BUSY;
        }
        reason = why;
        return Status.OK;
    }

    /** Unregisters {@code ops} if it is the active table; NOT_FOUND otherwise. */
    public Status unregister(VariableOps ops) {
        return active.compareAndSet(ops, null) ? Status.OK : Status.NOT_FOUND;
    }

    /** Replaces {@code expected} with {@code next}; NOT_FOUND when {@code expected} is not the active table. */
    public Status replace(VariableOps expected, VariableOps next, String why) {
        if (!active.compareAndSet(expected, next)) {
            return Status.NOT_FOUND;
        }
        reason = why;
        return Status.OK;
    }

    /**
     * Makes a prepared table active, whatever was active: one volatile store (not a getAndSet, whose first
     * use links a VarHandle access mode, which allocates: the switch may be the first, at crash time).
     * {@code why} should be a constant so the switch allocates nothing; it is kept only when the table
     * changes. Returns the table that was active ({@link #NONE} when none was); two switches at once both
     * make the same table active, and only what they return may differ.
     */
    public VariableOps switchTo(VariableOps prepared, String why) {
        VariableOps before = active.get();
        active.set(prepared);
        if (before != prepared) {
            reason = why;
        }
        return before != null ? before : NONE;
    }

    public VariableOps active() {
        VariableOps ops = active.get();
        return ops != null ? ops : NONE;
    }

    /** Why the active table is the one in force. */
    public String reason() {
        return reason;
    }

    private static final class Unregistered implements VariableOps {
        @Override
        public Status get(Namespace namespace, CharSequence name, VariableBuffer out) {
            return Status.DEVICE_ERROR;
        }

        @Override
        public Status nextName(NameCursor cursor) {
            return Status.DEVICE_ERROR;
        }

        @Override
        public Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
            return Status.DEVICE_ERROR;
        }

        @Override
        public Status setNonBlocking(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
            return Status.DEVICE_ERROR;
        }

        @Override
        public Status query(StoreSpace out) {
            return Status.DEVICE_ERROR;
        }

        @Override
        public String name() {
            return "none";
        }
    }
}
