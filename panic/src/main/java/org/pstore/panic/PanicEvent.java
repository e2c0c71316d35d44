package org.pstore.panic;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What happened: filled in once per panic, oops or dump into an instance the machine preallocated, so
 * nothing is allocated at panic time. Dumpers and notifiers may read it from any thread.
 */
public final class PanicEvent {
    private volatile DumpReason reason = DumpReason.UNDEF;
    private volatile String message;
    private volatile Throwable cause;
    private volatile Thread thread;
    private volatile long wallMillis;
    private volatile long startNanos;
    private final AtomicInteger nestedPanics = new AtomicInteger();

    PanicEvent() {
    }

    void fill(DumpReason reason, String message, Throwable cause, Thread thread, long wallMillis, long startNanos) {
        this.reason = reason;
        this.message = message;
        this.cause = cause;
        this.thread = thread;
        this.wallMillis = wallMillis;
        this.startNanos = startNanos;
    }

    int nestedPanic() {
        return nestedPanics.incrementAndGet();
    }

    public DumpReason reason() {
        return reason;
    }

    public String message() {
        return message;
    }

    /** The throwable that caused it, or null. */
    public Throwable cause() {
        return cause;
    }

    /** The thread that panicked (or oopsed, or asked for the dump). */
    public Thread thread() {
        return thread;
    }

    /** {@code System.currentTimeMillis()} at panic start. */
    public long wallMillis() {
        return wallMillis;
    }

    /** {@code System.nanoTime()} at panic start. */
    public long startNanos() {
        return startNanos;
    }

    /** Panics raised on the panicking thread while it was panicking. */
    public int nestedPanics() {
        return nestedPanics.get();
    }
}
