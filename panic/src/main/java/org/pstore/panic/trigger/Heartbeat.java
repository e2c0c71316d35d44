package org.pstore.panic.trigger;

import java.time.Duration;

/**
 * A liveness signal an application thread gives with {@link #beat()}. When no beat comes within the
 * timeout, the watchdog reports one oops "heartbeat NAME missed" for that miss episode; the next beat
 * ends the episode.
 */
public final class Heartbeat implements AutoCloseable {
    private final String name;
    private final String missed;
    private final long timeoutNanos;
    private final Watchdog watchdog;
    private volatile long lastBeat = System.nanoTime();
    private volatile boolean missing;
    private volatile boolean closed;

    Heartbeat(Watchdog watchdog, String name, Duration timeout) {
        this.watchdog = watchdog;
        this.name = name;
        this.missed = "heartbeat " + name + " missed";
        this.timeoutNanos = timeout.toNanos();
    }

    public String name() {
        return name;
    }

    public void beat() {
        lastBeat = System.nanoTime();
        missing = false;
    }

    /** Stops watching this heartbeat. */
    @Override
    public void close() {
        closed = true;
        watchdog.forget(this);
    }

    boolean closed() {
        return closed;
    }

    /** The oops message, the first time a miss is seen in an episode; otherwise null. */
    String check(long now) {
        if (closed || missing || now - lastBeat < timeoutNanos) {
            return null;
        }
        missing = true;
        return missed;
    }
}
