package org.pstore.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrency claim of the capture ring, proven under stress: writers that lap each other on a small ring
 * (more writers than cores, so that some are preempted mid-line and lapped), and every reader the ring has
 * (a journal-style forward cursor, the dump's backward tail, and reads at the oldest line), each validating
 * every line it gets. Half the writers hand the ring chars, half UTF-8 bytes (the two ways a line comes in:
 * {@link CaptureRing#println(CharSequence)} and the integrations' {@link CaptureLine}). Not one torn line in
 * ten million; and a forward cursor never stalls on a dropped line.
 * Bounded in time: it stops at ten million lines read, or fails at the deadline.
 */
class CaptureRingStressTest {
    private static final long LINES = 10_000_000L;
    private static final long DEADLINE_NANOS = 90_000_000_000L;
    /** More than the two cores CI has, so that writers are preempted mid-line and lapped. */
    private static final int WRITERS = 6;

    @ParameterizedTest(name = "{0} slots")
    @ValueSource(ints = {64, 2048}) // the smallest ring, and the default one (4 x kmsgBytes)
    void noReaderEverSeesATornLine(int slots) throws Exception {
        CaptureRing ring = new CaptureRing(slots * CaptureRing.PAYLOAD, System.nanoTime());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong read = new AtomicLong();
        AtomicLong torn = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int id = w;
            threads.add(new Thread(() -> {
                CheckedLines lines = new CheckedLines();
                for (long n = 0; !stop.get(); n++) {
                    if ((id & 1) == 0) {
                        ring.println(lines.write(id, n));
                    } else {
                        byte[] utf8 = lines.write(id, n).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        ring.println(utf8, 0, utf8.length);
                    }
                }
            }, "writer-" + w));
        }
        threads.add(new Thread(() -> forward(ring, stop, read, torn), "forward"));
        threads.add(new Thread(() -> backward(ring, stop, read, torn), "backward"));
        threads.add(new Thread(() -> oldest(ring, stop, read, torn), "oldest"));
        threads.forEach(Thread::start);
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (read.get() < LINES && System.nanoTime() < deadline && torn.get() == 0) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        System.out.println(slots + " slots: " + read.get() + " lines read, " + torn.get() + " torn, "
                + ring.dropped() + " dropped by lapped writers");
        assertThat(torn.get()).as("torn lines").isZero();
        assertThat(read.get()).as("lines read and validated").isGreaterThanOrEqualTo(LINES);
    }

    private static void forward(CaptureRing ring, AtomicBoolean stop, AtomicLong read, AtomicLong torn) {
        CaptureRing.Cursor cursor = new CaptureRing.Cursor(0);
        byte[] buf = new byte[CaptureRing.MAX_LINE];
        CheckedLines check = new CheckedLines();
        while (!stop.get()) {
            for (int n; (n = ring.next(cursor, buf)) >= 0; ) {
                count(check.intact(buf, 0, n), read, torn);
            }
        }
    }

    private static void backward(CaptureRing ring, AtomicBoolean stop, AtomicLong read, AtomicLong torn) {
        CaptureRing.Tail tail = new CaptureRing.Tail();
        byte[] buf = new byte[16 << 10];
        CheckedLines check = new CheckedLines();
        while (!stop.get()) {
            tail.reset(ring);
            int start = ring.fillBackward(tail, buf, 0, buf.length);
            int from = start;
            for (int i = start; i < buf.length; i++) {
                if (buf[i] == '\n') {
                    count(check.intact(buf, from, i - from), read, torn);
                    from = i + 1;
                }
            }
        }
    }

    private static void oldest(CaptureRing ring, AtomicBoolean stop, AtomicLong read, AtomicLong torn) {
        byte[] buf = new byte[CaptureRing.MAX_LINE];
        int[] length = new int[1];
        CheckedLines check = new CheckedLines();
        while (!stop.get()) {
            long oldest = Math.max(0, ring.head() - ring.capacity());
            for (long s = oldest; s < oldest + 8; s++) {
                if (ring.read(s, buf, 0, buf.length, length) > 0) {
                    count(check.intact(buf, 0, length[0]), read, torn);
                }
            }
        }
    }

    private static void count(boolean intact, AtomicLong read, AtomicLong torn) {
        read.incrementAndGet();
        if (!intact) {
            torn.incrementAndGet();
        }
    }
}
