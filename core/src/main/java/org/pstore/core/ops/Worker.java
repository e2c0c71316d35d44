package org.pstore.core.ops;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.pstore.core.Status;
import org.pstore.core.VariableOps;

/**
 * The interruptible worker: one dedicated thread performs every store operation, in submission order, by
 * calling the legacy ops (so it takes the store lock like anyone else). Callers wait on their own request,
 * interruptibly and with a timeout ({@link WorkerOps}).
 *
 * <p>The queue is an intrusive multi-producer single-consumer linked queue (Vyukov): enqueueing is one
 * atomic swap and allocates nothing. The worker spins briefly before parking, so back-to-back calls do not
 * pay a thread wake-up each.
 *
 * <p>A fault inside an operation completes it with DEVICE_ERROR. A fatal fault (an {@link Error}) disables
 * the worker for good: it says so through {@code onFatal}, hands every queued request back to its caller
 * (who runs it on the legacy ops, exactly once), and ends; an OutOfMemoryError (the heap exhausted) then
 * goes on to the thread's uncaught exception handler, which panics, as on any other thread.
 *
 * <p>Its idle loop allocates nothing, so that it is never the thread that tips a full heap over.
 */
final class Worker implements Runnable {
    private static final long IDLE_SPIN_NANOS = 50_000;

    private final LegacyOps target;
    private final Consumer<Throwable> onFatal;
    private final Request stub = new Request();
    private final AtomicReference<Request> tail = new AtomicReference<>(stub);
    private final Thread thread;
    private Request head = stub;
    private volatile boolean parked;
    private volatile boolean disabled;
    private volatile long busySince;
    private volatile Throwable fatal;

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
            Request r = poll();
            if (r == null) {
                idle();
            } else if (r.transition(Request.QUEUED, Request.RUNNING)) {
                execute(r);
            }
        }
        handBack();
    }

    private void execute(Request r) {
        busySince = System.nanoTime();
        try {
            r.status = r.executeFor(target);
        } catch (RuntimeException e) {
            r.status = Status.DEVICE_ERROR;
        } catch (Error e) {
            r.status = Status.DEVICE_ERROR;
            fatal = e;
            disabled = true;
            try {
                onFatal.accept(e); // first: a caller that hears back finds the legacy ops in force
            } catch (Throwable alsoFailed) {
                // the worker is disabled either way
            }
            complete(r);
            handBack();
            if (e instanceof OutOfMemoryError) {
                throw e;
            }
            return;
        } finally {
            busySince = 0;
        }
        complete(r);
    }

    private static void complete(Request r) {
        r.state(Request.DONE);
        LockSupport.unpark(r.waiter);
    }

    private void handBack() {
        for (Request r; (r = poll()) != null || hasWork(); ) {
            if (r != null && r.transition(Request.QUEUED, Request.RETURNED)) {
                LockSupport.unpark(r.waiter);
            }
        }
    }

    private void idle() {
        long until = System.nanoTime() + IDLE_SPIN_NANOS;
        while (!hasWork() && !disabled) {
            if (System.nanoTime() < until) {
                Thread.onSpinWait();
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
