package org.pstore.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.pstore.core.testing.Allocations;
import org.pstore.core.testing.Jit;

class CaptureRingTest {

    @Test
    void linesComeBackInOrderWithTheUptimePrefix() {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        ring.println("first line");
        ring.println("two\nlines");
        ring.println("");
        assertThat(readAll(ring)).hasSize(4).satisfies(lines -> {
            assertThat(lines.get(0)).matches("\\[ {4}0\\.\\d{6}] first line");
            assertThat(lines.get(1)).endsWith("] two");
            assertThat(lines.get(2)).endsWith("] lines");
            assertThat(lines.get(3)).matches("\\[ {4}0\\.\\d{6}] ");
        });
    }

    @Test
    void longAndNonAsciiLinesSpanSlotsIntact() {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        String text = "é€😀 ".repeat(200);
        ring.println(text);
        String back = readAll(ring).get(0);
        assertThat(back.substring(back.indexOf("] ") + 2)).isEqualTo(text);
    }

    @Test
    void aLineOverTheLimitIsCutAtACharacterBoundary() {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        ring.println("€".repeat(3000));
        String back = readAll(ring).get(0);
        assertThat(back.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CaptureRing.MAX_LINE);
        assertThat(back).doesNotContain("\uFFFD").endsWith("€");
    }

    @Test
    void theDumpTailComesNewestPartFirstEachPartInOrder() {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        for (int i = 0; i < 100; i++) {
            ring.println("line " + i);
        }
        CaptureRing.Tail tail = new CaptureRing.Tail();
        tail.reset(ring);
        byte[] buf = new byte[400];
        List<String> parts = new ArrayList<>();
        while (!tail.exhausted(ring)) {
            int start = ring.fillBackward(tail, buf, 0, buf.length);
            if (start == buf.length) {
                break;
            }
            parts.add(new String(buf, start, buf.length - start, StandardCharsets.UTF_8));
        }
        assertThat(parts.get(0)).endsWith("] line 99\n");
        assertThat(parts.get(parts.size() - 1)).contains("] line 0\n");
        List<Integer> order = new ArrayList<>();
        for (int p = parts.size() - 1; p >= 0; p--) {
            for (String l : parts.get(p).split("\n")) {
                order.add(Integer.parseInt(l.substring(l.indexOf("line ") + 5)));
            }
        }
        assertThat(order).hasSize(100).isSorted();
    }

    @Test
    void theRingKeepsOnlyTheNewestAndTheReaderCountsWhatItMissed() {
        CaptureRing ring = new CaptureRing(8 << 10, System.nanoTime());
        for (int i = 0; i < 1000; i++) {
            ring.println("line " + i);
        }
        CaptureRing.Cursor c = new CaptureRing.Cursor(0);
        List<String> lines = read(ring, c);
        assertThat(lines.get(lines.size() - 1)).endsWith("line 999");
        assertThat(c.lost() + lines.size()).isEqualTo(1000);
        assertThat(c.lost()).isPositive();
    }

    @Test
    void frozenForADumpOtherThreadsLinesAreDroppedAndCounted() throws Exception {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        ring.freeze();
        Thread other = new Thread(() -> ring.println("from another thread"));
        other.start();
        other.join();
        ring.println("from the dumper");
        ring.thaw();
        assertThat(readAll(ring)).hasSize(1).allMatch(l -> l.endsWith("from the dumper"));
        assertThat(ring.dropped()).isEqualTo(1);
    }

    @Test
    void concurrentWritersNeverTearALine() throws Exception {
        CaptureRing ring = new CaptureRing(1 << 20, System.nanoTime());
        int threads = 4;
        int perThread = 5000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            pool.submit(() -> {
                go.await();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < perThread; i++) {
                    sb.setLength(0);
                    sb.append("t").append(id).append(" #").append(i).append(' ').append("x".repeat(i % 300)).append(" end");
                    ring.println(sb);
                }
                return null;
            });
        }
        go.countDown();
        CaptureRing.Cursor c = new CaptureRing.Cursor(0);
        List<String> lines = new ArrayList<>();
        pool.shutdown();
        while (!pool.awaitTermination(1, TimeUnit.MILLISECONDS)) {
            lines.addAll(read(ring, c));
        }
        lines.addAll(read(ring, c));
        // a reader starved of CPU may be lapped and lose lines, never a torn one; what it lost is counted in
        // slots, at least one for each line lost (a line of more than 120 bytes takes several)
        assertThat(lines.size() + c.lost()).isGreaterThanOrEqualTo(threads * perThread);
        assertThat(lines).isNotEmpty();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String l : lines) {
            String body = l.substring(l.indexOf("] ") + 2);
            int hash = body.indexOf('#');
            int i = Integer.parseInt(body.substring(hash + 1, body.indexOf(' ', hash)));
            assertThat(body).endsWith("x".repeat(i % 300) + " end");
            assertThat(seen.add(body.substring(0, body.indexOf(' ', hash)))).as("read once: " + body).isTrue();
        }
    }

    @Test
    void writingALineAllocatesNothing() {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        StringBuilder line = new StringBuilder("a log line with a number: ");
        Jit.warm(() -> ring.println(line));
        long[] bytes = new long[5];
        for (int r = 0; r < bytes.length; r++) {
            bytes[r] = Allocations.of(() -> {
                for (int i = 0; i < 1000; i++) {
                    ring.println(line);
                }
            });
        }
        assertThat(bytes).as("each round of 1000 lines").containsOnly(0L);
    }

    @Test
    void aLineWhoseTextFailsAfterItsSlotsWereClaimedIsDroppedAndLeavesNoHole() {
        CaptureRing ring = new CaptureRing(64 << 10, System.nanoTime());
        ring.println("before");
        CharSequence failing = new CharSequence() { // fine while measured, fails while written
            private int reads;

            @Override
            public int length() {
                return 300;
            }

            @Override
            public char charAt(int index) {
                if (++reads > 750) { // 300 reads to split lines, 300 to measure, then the write
                    throw new IllegalStateException("the text changed its mind");
                }
                return 'x';
            }

            @Override
            public CharSequence subSequence(int start, int end) {
                throw new UnsupportedOperationException();
            }
        };
        assertThatThrownBy(() -> ring.println(failing)).hasMessage("the text changed its mind");
        ring.println("after");
        CaptureRing.Cursor c = new CaptureRing.Cursor(0);
        long start = System.nanoTime();
        List<String> lines = read(ring, c);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith("] before");
        assertThat(lines.get(1)).endsWith("] after");
        assertThat(c.lost()).as("no slot left unpublished").isZero();
        assertThat(System.nanoTime() - start).as("read at once, not after a one-second stall").isLessThan(500_000_000L);
        assertThat(ring.dropped()).isEqualTo(1);
    }

    @Test
    void aStackOverflowInsideLoggingLeavesEveryLineWholeAndNoSlotLost() {
        for (int frameSize = 0; frameSize < 3; frameSize++) {
            CaptureRing ring = new CaptureRing(1 << 20, System.nanoTime());
            int deepest = -1;
            try {
                recurse(ring, 0, frameSize);
            } catch (StackOverflowError expected) {
                deepest = 1;
            }
            assertThat(deepest).as("the recursion overflowed").isEqualTo(1);
            CaptureRing.Cursor c = new CaptureRing.Cursor(0);
            List<String> lines = read(ring, c);
            assertThat(c.lost()).as("no slot left unpublished").isZero();
            assertThat(lines).isNotEmpty();
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).as("line %d whole, in order", i).endsWith("] depth " + i + " " + "y".repeat(150));
            }
        }
    }

    /** Logs one long line (two slots) per level; frames of a few sizes move where the overflow strikes. */
    private static void recurse(CaptureRing ring, int depth, int frameSize) {
        StringBuilder line = new StringBuilder(200).append("depth ").append(depth).append(' ').append("y".repeat(150));
        ring.println(line);
        if (frameSize == 0) {
            recurse(ring, depth + 1, frameSize);
        } else if (frameSize == 1) {
            long a = depth;
            long b = a * 3;
            recurse(ring, depth + 1, frameSize);
            if (a + b < 0) {
                throw new AssertionError();
            }
        } else {
            recurseWide(ring, depth, frameSize, depth, depth, depth, depth);
        }
    }

    private static void recurseWide(CaptureRing ring, int depth, int frameSize, long a, long b, long c, long d) {
        recurse(ring, depth + 1, frameSize);
        if (a + b + c + d < 0) {
            throw new AssertionError();
        }
    }

    private static List<String> readAll(CaptureRing ring) {
        return read(ring, new CaptureRing.Cursor(0));
    }

    private static List<String> read(CaptureRing ring, CaptureRing.Cursor c) {
        byte[] buf = new byte[CaptureRing.MAX_LINE];
        List<String> lines = new ArrayList<>();
        for (int n; (n = ring.next(c, buf)) >= 0; ) {
            lines.add(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return lines;
    }
}
