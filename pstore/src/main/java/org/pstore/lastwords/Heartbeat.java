package org.pstore.lastwords;

/**
 * The cheap heartbeat: at most once a second, the time and the heap's use written in place into the run mark.
 * Called from the loop of a pstore thread that runs anyway (the console journal's); allocates nothing
 * ({@code Runtime}'s memory figures are native calls), so it cannot be what tips a full heap over.
 */
public final class Heartbeat implements Runnable {
    static final long INTERVAL_MILLIS = 1000;
    private final RunMark mark;
    private long last;

    public Heartbeat(RunMark mark) {
        this.mark = mark;
    }

    @Override
    public void run() {
        long now = System.currentTimeMillis();
        if (now - last < INTERVAL_MILLIS && now >= last) {
            return;
        }
        last = now;
        Runtime r = Runtime.getRuntime();
        mark.beat(now, r.totalMemory() - r.freeMemory(), r.maxMemory());
    }
}
