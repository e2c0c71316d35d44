package org.pstore.frontend;

import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.capture.CaptureRing;
import org.pstore.record.RecordType;

/**
 * The console frontend: a daemon thread copies every line captured in the ring into the backend's
 * persistent console journal, so the log survives a kill -9 even when no crash record is written. Lines
 * usually reach the journal within a millisecond; a kill can lose the lines of that last moment, which is
 * why the crash path reads the ring itself and never waits for this thread.
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
    private volatile boolean sleeping;
    private long reportedLost;
    private long failed;
    private long reportedFailed;

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

    public void start() {
        thread.start();
    }

    /** Wakes the drain if it dozed off after a quiet spell (cheap: one volatile read when awake). */
    public void nudge() {
        if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        int idle = 0;
        while (running) {
            if (drain() > 0) {
                idle = 0;
                continue;
            }
            if (++idle < IDLE_ROUNDS) {
                LockSupport.parkNanos(this, BUSY_PARK_NANOS);
            } else {
                sleeping = true;
                if (ring.head() <= cursor.next()) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
                sleeping = false;
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
            note("[pstore] " + (cursor.lost() - reportedLost) + " console lines were overwritten before they reached the journal");
            reportedLost = cursor.lost();
        }
        if (failed > reportedFailed) {
            // The journal is failing: say so in the ring, which a crash record will carry.
            ring.println("[pstore] the console journal refused " + (failed - reportedFailed) + " lines");
            reportedFailed = failed;
        }
        return n;
    }

    private void note(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int len = Math.min(bytes.length, CaptureRing.MAX_LINE);
        System.arraycopy(bytes, 0, batch, ConsoleLine.HEADER + batched, len);
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
        if (!backend.write(write.set(RecordType.CONSOLE, 0, 0, boot, false, batch, size), false).ok()) {
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
}
