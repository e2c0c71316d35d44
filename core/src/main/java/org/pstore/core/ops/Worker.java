package org.pstore.core.ops;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.pstore.core.Status;

/**
 * The interruptible worker: one dedicated thread performs every store operation, in submission order,
 * against the store under the store lock (taken like anyone else's, so crash-time writers that only try it
 * still see it held). Callers wait on their own request, interruptibly and with a timeout
 * ({@link WorkerOps}).
 *
 * <p>Group commit: one wake-up drains every request queued so far (up to {@link #GROUP}), takes the store
 * lock once and runs them in one pass. Each caller is released as soon as its own operation is in the store,
 * so acknowledged still means stored; a caller that gave up before its turn is skipped.
 *
 * <p>The queue is an intrusive multi-producer single-consumer linked queue (Vyukov) of requests that their
 * callers own and reuse: enqueueing is one atomic swap and allocates nothing. Idle, the worker yields a while
 * before it parks (see {@link #IDLE_YIELD_NANOS}), so back-to-back calls do not pay a thread wake-up each, and it
 * wakes a caller only when that caller parked.
 *
 * <p>A fault inside an operation completes it with DEVICE_ERROR. A fatal fault (an {@link Error}) disables
 * the worker for good: it says so through {@code onFatal}, hands every queued request back to its caller
 * (who runs it on the legacy ops, exactly once), and ends; an OutOfMemoryError (the heap exhausted) goes to
 * the thread's uncaught exception handler first, which panics, as on any other thread, before any caller
 * is released (a released caller would meet the exhausted heap next, and its error would be the one recorded).
 *
 * <p>Its loop allocates nothing, so that it is never the thread that tips a full heap over.
 */
final class Worker implements Runnable {
    /**
     * Idle, the worker yields this long before it parks: a wake-up costs tens of microseconds on a busy
     * machine, more than most gaps between back-to-back requests. It yields rather than spins (measured, on 2
     * shared cores: a 1 us spin doubled a hand-off, a 5 us one made it six times dearer): a caller that shares
     * its core must get to run, or its next request waits for the spin to end; with a core to itself, a yield
     * returns at once and is as good as a spin.
     */
    private static final long IDLE_YIELD_NANOS = 500_000;
    /** The most requests one wake-up takes under one lock: bounds how long the lock is held in one go. */
    static final int GROUP = 64;

    private final LegacyOps target;
    private final Consumer<Throwable> onFatal;
    private final Request stub = new Request();
    private final AtomicReference<Request> tail = new AtomicReference<>(stub);
    private final Request[] group = new Request[GROUP];
    private final Thread thread;
    private Request head = stub;
    private volatile boolean parked;
    private volatile boolean disabled;
    private volatile long busySince;
    private volatile Throwable fatal;
    private long groups;
    private long grouped;

    Worker(LegacyOps target, Consumer<Throwable> onFatal) {
        this.target = target;
        this.onFatal = onFatal;
        this.thread = new Thread(this, "pstore-worker");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Enqueues a request (state already QUEUED). Wait-free apart from one unpark when the worker sleeps. */
    void submit(Request r) {
        r.next(null);
        Request prev = tail.getAndSet(r);
        prev.next(r);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    boolean disabled() {
        return disabled;
    }

    Throwable fatal() {
        return fatal;
    }

    Thread thread() {
        return thread;
    }

    /** Wake-ups that found work, and the requests they took: racy figures for tests and notes. */
    long groups() {
        return groups;
    }

    long grouped() {
        return grouped;
    }

    /** When the current operation (or the wait for the lock before a group) began, 0 when idle: it names that operation. */
    long busySince() {
        return busySince;
    }

    /** How long the current operation has run, 0 when idle: what the watchdog checks for a hung worker. */
    long busyNanos() {
        long since = busySince;
        return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
    }

    /** Stops taking requests; queued ones go back to their callers. */
    void stop() {
        disabled = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!disabled) {
            Thread.interrupted(); // an interrupt aborts the operation it hit, not the worker
            int n = drain();
            if (n == 0) {
                idle();
            } else if (!runGroup(n)) {
                return;
            }
        }
        handBack();
    }

    private int drain() {
        int n = 0;
        for (Request r; n < GROUP && (r = poll()) != null; ) {
            group[n++] = r;
        }
        return n;
    }

    /**
     * Runs the first {@code n} requests of the group under one acquisition of the store lock. Returns false
     * when a fatal fault ended the worker (the rest of the group and the queue handed back).
     */
    private boolean runGroup(int n) {
        groups++;
        grouped += n;
        Error failure = null;
        int at = 0;
        busySince = System.nanoTime(); // waiting for the lock counts: a stuck holder shows as a stuck worker
        StoreLock lock = target.lock();
        Status locked = lock.acquire(target.timeoutNanos());
        try {
            for (; at < n; at++) {
                Request r = group[at];
                if (!r.transition(Request.QUEUED, Request.RUNNING)) {
                    group[at] = null; // withdrawn by its caller meanwhile
                    continue;
                }
                if (!locked.ok()) {
                    r.status = locked;
                } else {
                    busySince = System.nanoTime();
                    try {
                        r.status = r.executeLocked(target.store());
                    } catch (Error e) {
                        r.status = Status.DEVICE_ERROR;
                        failure = e;
                        break;
                    }
                }
                group[at] = null;
                complete(r);
            }
        } finally {
            busySince = 0;
            if (locked.ok()) {
                lock.release();
            }
        }
        if (failure == null) {
            return true;
        }
        fatal = failure;
        disabled = true;
        try {
            onFatal.accept(failure); // first: a caller that hears back finds the legacy ops in force
        } catch (Throwable alsoFailed) {
            // the worker is disabled either way
        }
        if (failure instanceof OutOfMemoryError) {
            // The heap is exhausted: this thread's handler (which panics) hears of it before any caller is
            // released, so that the crash record names this error, not the next one a caller meets with it.
            try {
                thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
            } catch (Throwable handlerFailed) {
                // the callers are released all the same
            }
        }
        Request failed = group[at];
        group[at] = null;
        complete(failed);
        for (int i = at + 1; i < n; i++) {
            handBack(group[i]);
            group[i] = null;
        }
        handBack();
        return false;
    }

    private static void complete(Request r) {
        Thread waiter = r.waiter;
        r.state(Request.DONE);
        if (r.parked) { // read after the state: a waiter that parks after this read sees DONE first
            LockSupport.unpark(waiter);
        }
    }

    private static void handBack(Request r) {
        if (r.transition(Request.QUEUED, Request.RETURNED)) {
            LockSupport.unpark(r.waiter);
        }
    }

    private void handBack() {
        for (Request r; (r = poll()) != null || hasWork(); ) {
            if (r != null) {
                handBack(r);
            }
        }
    }

    private void idle() {
        long start = System.nanoTime();
        while (!hasWork() && !disabled) {
            if (System.nanoTime() - start < IDLE_YIELD_NANOS) {
                Thread.yield();
            } else {
                parked = true;
                if (!hasWork() && !disabled) {
                    LockSupport.park(this);
                }
                parked = false;
                return;
            }
        }
    }

    private boolean hasWork() {
        return head.next() != null || tail.get() != head;
    }

    /** Vyukov's intrusive MPSC dequeue; returns null when empty or when a producer is mid-enqueue. */
    private Request poll() {
        Request h = head;
        Request next = h.next();
        if (h == stub) {
            if (next == null) {
                return null;
            }
            head = next;
            h = next;
            next = next.next();
        }
        if (next != null) {
            head = next;
            return h;
        }
        if (h != tail.get()) {
            return null;
        }
        submit(stub);
        next = h.next();
        if (next != null) {
            head = next;
            return h;
        }
        return null;
    }
}
