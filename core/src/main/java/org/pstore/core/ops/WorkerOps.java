package org.pstore.core.ops;

import java.util.concurrent.locks.LockSupport;

import org.pstore.core.NameBatch;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;

/**
 * The interruptible ops table: each call is submitted to the {@link Worker} and waited for. The wait ends
 * on interrupt (ABORTED, interrupt flag restored) or at the timeout (BUSY), and what the caller is told is
 * true: a request the worker has not taken, or has taken but not yet brought to its point of no return (a
 * write about to be appended, after any compaction it needed), is withdrawn and never happens. Only a write
 * already being appended is waited for (a second timeout at most, then ABORTED: it may still complete). Set
 * non-blocking is refused (UNSUPPORTED): the crash-time write must never wait for another thread.
 */
public final class WorkerOps implements VariableOps {
    /**
     * A caller yields this long before it parks: an operation usually completes within microseconds, and a
     * wake-up costs more than that. It yields rather than spins, so that the worker gets the core when there
     * are more runnable threads than cores (see {@link Worker}); and not for long, so that several callers
     * waiting at once leave the cores to the worker (on 2 busy cores, four callers yielding 200 us each made
     * the worker about half as fast as with 50 us).
     */
    private static final long YIELD_NANOS = 50_000;
    /** Parked waiters re-check this often, in case the worker was disabled as they went to sleep. */
    private static final long PARK_SLICE_NANOS = 10_000_000L;

    private final Worker worker;
    private final VariableOps fallback;
    private final long timeoutNanos;
    private final ThreadLocal<Request> requests = ThreadLocal.withInitial(Request::new);

    WorkerOps(Worker worker, VariableOps fallback, long timeoutNanos) {
        this.worker = worker;
        this.fallback = fallback;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public Status get(Namespace namespace, CharSequence name, VariableBuffer out) {
        Request r = requests.get();
        r.get(namespace, name);
        Status s = call(r);
        if (s.ok()) {
            out.copyFrom(r.out.data(), r.out.length(), r.out.attributes());
        }
        return s;
    }

    @Override
    public Status nextName(NameCursor cursor) {
        Request r = requests.get();
        r.nextName(cursor);
        Status s = call(r);
        if (s.ok()) {
            cursor.copyFrom(r.cursor);
        }
        return s;
    }

    @Override
    public Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
        Request r = requests.get();
        r.set(namespace, name, attributes, data, offset, length);
        return call(r);
    }

    @Override
    public Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length, NameBatch eraseFirst) {
        Request r = requests.get();
        r.set(namespace, name, attributes, data, offset, length);
        r.eraseFirst(eraseFirst);
        return call(r);
    }

    @Override
    public Status setNonBlocking(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length) {
        return Status.UNSUPPORTED;
    }

    @Override
    public Status query(StoreSpace out) {
        Request r = requests.get();
        r.query();
        Status s = call(r);
        if (s.ok()) {
            out.copyFrom(r.space);
        }
        return s;
    }

    @Override
    public String name() {
        return "interruptible";
    }

    private Status call(Request r) {
        if (worker.disabled()) {
            return r.execute(fallback);
        }
        r.waiter = Thread.currentThread();
        r.state(Request.QUEUED);
        worker.submit(r);
        long start = System.nanoTime();
        long deadline = start + timeoutNanos;
        for (;;) {
            int state = r.state();
            if (state == Request.DONE) {
                return r.status;
            }
            if (state == Request.RETURNED || (worker.disabled() && r.transition(Request.QUEUED, Request.RETURNED))) {
                requests.remove(); // may still be linked in the dead worker's queue
                return r.execute(fallback);
            }
            if (Thread.interrupted()) {
                Status s = giveUp(r, Status.ABORTED);
                Thread.currentThread().interrupt();
                return s;
            }
            long now = System.nanoTime();
            long left = deadline - now;
            if (left <= 0) {
                return giveUp(r, Status.BUSY);
            }
            if (now - start < YIELD_NANOS) {
                Thread.yield();
            } else {
                r.parked = true; // then the state is read again: the worker reads parked after writing DONE
                int again = r.state();
                if (again != Request.DONE && again != Request.RETURNED) {
                    LockSupport.parkNanos(this, Math.min(left, PARK_SLICE_NANOS));
                }
                r.parked = false;
            }
        }
    }

    /**
     * Gives up on a request, telling the truth about it: one the worker has not taken, or has not yet taken
     * past its point of no return, is withdrawn and never happens ({@code why}). One past that point is being
     * written, a matter of microseconds: its outcome is waited for, up to the timeout once more; still not
     * done (a stuck device), the answer is ABORTED, which says the operation may still complete.
     */
    private Status giveUp(Request r, Status why) {
        if (r.transition(Request.QUEUED, Request.CANCELLED) || r.transition(Request.RUNNING, Request.ABANDONED)) {
            requests.remove(); // the worker may still hold it
            return why;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        r.parked = true;
        while (r.state() != Request.DONE) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                requests.remove();
                return Status.ABORTED;
            }
            LockSupport.parkNanos(this, Math.min(left, PARK_SLICE_NANOS));
        }
        r.parked = false;
        return r.status;
    }

    Worker worker() {
        return worker;
    }
}
