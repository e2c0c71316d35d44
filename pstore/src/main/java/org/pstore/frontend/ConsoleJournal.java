package org.pstore.frontend;

import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.capture.CaptureRing;
import org.pstore.panic.ExhaustionHook;
import org.pstore.record.ConsoleLine;
import org.pstore.record.RecordType;

/**
 * The console frontend: a daemon thread copies every line captured in the ring into the backend's
 * persistent console journal, so the log survives a kill -9 even when no crash record is written. Lines
 * usually reach the journal within a millisecond; a kill can lose the lines of that last moment, which is
 * why the crash path reads the ring itself and never waits for this thread.
 *
 * <p>Its loop allocates nothing (its notes are built in a preallocated buffer), so that it is never the
 * thread that tips a full heap over; only starting a new journal segment allocates, inside Chronicle.
 */
public final class ConsoleJournal implements Runnable {
    private static final long BUSY_PARK_NANOS = 1_000_000L;
    private static final long IDLE_PARK_NANOS = 100_000_000L;
    private static final int IDLE_ROUNDS = 200;

    private final CaptureRing ring;
    private final Backend backend;
    private final long boot;
    private final CaptureRing.Cursor cursor;
    /** Lines go to the journal in batches: one journal entry holds up to this many bytes of lines. */
    static final int BATCH = 32 << 10;

    private final byte[] batch = new byte[ConsoleLine.HEADER + BATCH + CaptureRing.MAX_LINE + 1];
    private int batched;
    private int batchedLines;
    private final RecordWrite write = new RecordWrite();
    private final CRC32C crc = new CRC32C();
    private final Thread thread;
    private volatile boolean running = true;
    /** Run on every round of the loop (the heartbeat, which keeps to once a second itself); must not allocate. */
    private volatile Runnable tick = () -> { };
    /** Read by every logging call's nudge: on a cache line of its own, away from the drain's busy fields. */
    private final Doze doze = new Doze();
    private long reportedLost;
    private long failed;
    private long reportedFailed;
    private final StringBuilder note = new StringBuilder(128);
    // fields, not literals: a literal is allocated the first time its code runs
    private static final String OVERWRITTEN = text(" console ring slots were overwritten before they reached the journal (a line takes one or more)");
    private static final String REFUSED = text("[pstore] the console journal refused ");
    private static final String LINES = text(" lines");
    private static final String PSTORE = text("[pstore] ");
    private static final String STOPPED = text("[pstore] the console journal stopped after a failure; lines stay in memory only");

    public ConsoleJournal(CaptureRing ring, Backend backend, long boot) {
        this(ring, backend, boot, ring.head());
    }

    /** Journals the ring from slot {@code from} on (0: every line it holds, e.g. those the agent captured before the store opened). */
    public ConsoleJournal(CaptureRing ring, Backend backend, long boot, long from) {
        this.ring = ring;
        this.backend = backend;
        this.boot = boot;
        this.cursor = new CaptureRing.Cursor(from);
        this.thread = new Thread(this, "pstore-journal");
        this.thread.setDaemon(true);
    }

    private static String text(String s) {
        return s;
    }

    /** Something to run on every round of the journal's loop, at least ten times a second: it must not block or allocate. */
    public void onTick(Runnable tick) {
        this.tick = tick;
    }

    public void start() {
        thread.start();
    }

    /** The journal's thread (boot gives it the panic handler). */
    public Thread thread() {
        return thread;
    }

    /** Wakes the drain if it dozed off after a quiet spell (cheap: one volatile read when awake). */
    public void nudge() {
        if (doze.sleeping) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The loop. An OutOfMemoryError goes on to the thread's handler, which panics (the heap is exhausted,
     * as for any thread); any other failure is the journal's own: it stops, says so in the ring, and the
     * ring (which the crash record reads) goes on.
     */
    @Override
    public void run() {
        try {
            loop();
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            running = false;
            try {
                ring.println(STOPPED);
            } catch (Throwable ignored) {
                // the ring is the last place to say it
            }
        }
    }

    private void loop() {
        int idle = 0;
        while (running) {
            ExhaustionHook.check();
            tick.run();
            if (drain() > 0) {
                idle = 0;
                continue;
            }
            if (++idle < IDLE_ROUNDS) {
                LockSupport.parkNanos(this, BUSY_PARK_NANOS);
            } else {
                doze.sleeping = true;
                if (ring.head() <= cursor.next()) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
                doze.sleeping = false;
            }
        }
        drain();
    }

    /** Copies what the ring holds now; returns the number of lines written. */
    public synchronized int drain() {
        int n = 0;
        for (int len; (len = ring.next(cursor, batch, ConsoleLine.HEADER + batched)) >= 0; n++) {
            endLine(len);
            if (batched >= BATCH) {
                flush();
            }
        }
        flush();
        if (cursor.lost() > reportedLost) {
            note.setLength(0);
            note(note.append(PSTORE).append(cursor.lost() - reportedLost).append(OVERWRITTEN));
            reportedLost = cursor.lost();
        }
        if (failed > reportedFailed) {
            // The journal is failing: say so in the ring, which a crash record will carry.
            note.setLength(0);
            ring.println(note.append(REFUSED).append(failed - reportedFailed).append(LINES));
            reportedFailed = failed;
        }
        return n;
    }

    /** An ASCII note of pstore's own, straight into the batch. */
    private void note(CharSequence text) {
        int len = Math.min(text.length(), CaptureRing.MAX_LINE);
        for (int i = 0; i < len; i++) {
            batch[ConsoleLine.HEADER + batched + i] = (byte) text.charAt(i);
        }
        endLine(len);
        flush();
    }

    /** Takes a line of {@code len} bytes just placed at the end of the batch, and ends it with a newline. */
    private void endLine(int len) {
        batched += len;
        batch[ConsoleLine.HEADER + batched++] = '\n';
        batchedLines++;
    }

    /** Appends the batched lines as one journal entry (its text: the lines, each ending in a newline). */
    private void flush() {
        if (batched == 0) {
            return;
        }
        int size = ConsoleLine.seal(batch, boot, System.currentTimeMillis(), batched, crc);
        if (!backend.write(write.set(RecordType.CONSOLE, 0, 0, boot, false, batch, size)).ok()) {
            failed += batchedLines;
        }
        batched = 0;
        batchedLines = 0;
    }


    /** Drains what is left and stops the thread (shutdown). */
    public void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The left padding of {@link Doze}: 128 bytes, two cache lines (the adjacent-line prefetcher pairs them). */
    abstract static class DozePadBefore {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    abstract static class DozeFlag extends DozePadBefore {
        volatile boolean sleeping;
    }

    /** Whether the drain dozes (parked for up to {@link #IDLE_PARK_NANOS}): the one field callers read. */
    static final class Doze extends DozeFlag {
        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }
}
