package org.pstore.core.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.pstore.core.CommitGate;
import org.pstore.core.NameBatch;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;
import org.pstore.core.VariableNames;
import org.pstore.core.store.VariableStore;

/**
 * One operation handed to the worker, and its own link in the worker's queue. A request owns copies of its
 * inputs and outputs, so a caller that gives up waiting leaves nothing the worker could still touch; the
 * caller then drops the request and takes a fresh one. Reused by its thread while calls complete normally.
 */
final class Request implements CommitGate {
    static final int QUEUED = 1;
    static final int RUNNING = 2;
    static final int DONE = 3;
    /** Withdrawn by its caller before the worker took it: it never runs. */
    static final int CANCELLED = 4;
    /** Handed back to its caller (the worker is disabled): the caller runs it itself, once. */
    static final int RETURNED = 5;
    /** Past its point of no return: its caller waits for the outcome. */
    static final int COMMITTING = 6;
    /** Its caller gave up before its point of no return: it is dropped there, never written. */
    static final int ABANDONED = 7;

    static final int GET = 1;
    static final int NEXT_NAME = 2;
    static final int SET = 3;
    static final int QUERY = 4;

    private static final VarHandle STATE;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Request.class, "state", int.class);
            NEXT = l.findVarHandle(Request.class, "next", Request.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;
    private volatile Request next;
    Thread waiter;
    /** Set by the waiter before it parks: the worker unparks only a waiter that may sleep. */
    volatile boolean parked;

    int op;
    Namespace namespace;
    final StringBuilder name = new StringBuilder(VariableNames.MAX_LENGTH);
    int attributes;
    byte[] data = new byte[256];
    int length;
    final VariableBuffer out = new VariableBuffer(256);
    final NameCursor cursor = new NameCursor();
    final StoreSpace space = new StoreSpace();
    /** Erased before a SET, as one entry (empty for a plain set). */
    final NameBatch erase = new NameBatch();
    Status status;

    int state() {
        return state;
    }

    void state(int s) {
        state = s;
    }

    boolean transition(int expected, int update) {
        return STATE.compareAndSet(this, expected, update);
    }

    Request next() {
        return next;
    }

    void next(Request n) {
        NEXT.setRelease(this, n);
    }

    void get(Namespace ns, CharSequence n) {
        op = GET;
        namespace = ns;
        name(n);
    }

    void nextName(NameCursor from) {
        op = NEXT_NAME;
        cursor.copyFrom(from);
    }

    void set(Namespace ns, CharSequence n, int attrs, byte[] d, int offset, int len) {
        op = SET;
        erase.clear();
        namespace = ns;
        name(n);
        attributes = attrs;
        if (len > 0) {
            if (data.length < len) {
                data = new byte[Math.max(len, data.length * 2)];
            }
            System.arraycopy(d, offset, data, 0, len);
        }
        length = len;
    }

    void eraseFirst(NameBatch names) {
        erase.copyFrom(names);
    }

    void query() {
        op = QUERY;
    }

    private void name(CharSequence n) {
        name.setLength(0);
        if (n != null) {
            name.append(n);
        }
    }

    /** The worker's gate: the write goes ahead unless the caller gave up first (then it never will). */
    @Override
    public boolean commit() {
        return transition(RUNNING, COMMITTING);
    }

    /**
     * Runs the operation on the worker against the store itself, the worker holding the store lock for its
     * whole group; a write goes ahead only while its caller still waits. A RuntimeException is a device
     * error, as in the legacy ops; an Error propagates.
     */
    Status executeLocked(VariableStore store) {
        try {
            switch (op) {
                case GET:
                    return store.get(namespace, name, out);
                case NEXT_NAME:
                    return store.nextName(cursor);
                case SET:
                    if (!erase.isEmpty()) {
                        Status erased = store.erase(namespace, erase, this);
                        if (erased.ok()) { // the gate was asked and let it through: the write follows
                            return store.set(namespace, name, attributes, data, 0, length);
                        }
                        if (erased != Status.NOT_FOUND) {
                            return erased;
                        }
                    }
                    return store.set(namespace, name, attributes, data, 0, length, this);
                case QUERY:
                    return store.query(space);
                default:
                    return Status.INVALID;
            }
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        }
    }

    /** Runs the operation against {@code ops}; errors propagate to the caller of this method. */
    Status execute(VariableOps ops) {
        switch (op) {
            case GET:
                return ops.get(namespace, name, out);
            case NEXT_NAME:
                return ops.nextName(cursor);
            case SET:
                return erase.isEmpty() ? ops.set(namespace, name, attributes, data, 0, length)
                        : ops.set(namespace, name, attributes, data, 0, length, erase);
            case QUERY:
                return ops.query(space);
            default:
                return Status.INVALID;
        }
    }
}
