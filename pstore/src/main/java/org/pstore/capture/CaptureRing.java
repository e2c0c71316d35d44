package org.pstore.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

import org.pstore.panic.PanicConsole;

/**
 * The capture ring, pstore's "kmsg buffer": the newest log lines of this process, in memory, fixed size,
 * lock-free and allocation-free for writers.
 *
 * <p>The ring is made of fixed slots of {@value #PAYLOAD} bytes. A line takes one or more consecutive slots,
 * claimed with a single atomic add, so concurrent writers never share a claim and lines stay in claim
 * order. Each slot has a header word {@code seq << 16 | flags << 8 | length}. A writer first takes each of
 * its slots by a compare-and-set of the header to its own sequence marked {@link #WRITING} (so the bytes are
 * invalid before they change), then writes the bytes, then publishes the headers with release semantics. A
 * reader that sees the slot's own sequence, not writing, copies the bytes and checks the header again (a
 * seqlock). Headers only ever move forward.
 *
 * <p>A writer never waits: when one of its slots is still being written by an older writer (preempted, and
 * lapped by writers a whole ring ahead) or already belongs to a newer one, its line is dropped and counted,
 * its slots marked {@link #SKIP} so that readers pass them at once; the older writer, once it publishes,
 * marks the slot of the newest writer that gave up because of it. A claimed slot is always resolved, even
 * when the line's text throws: published, or marked skipped. Before claiming, a writer touches as much
 * stack as the rest of the line needs, so that a StackOverflowError comes before the claim.
 *
 * <p>Every line starts with the time since the JVM started, as dmesg does: {@code [   12.345678] }.
 * During a panic dump the ring is frozen for every thread but the dumper (their lines are counted as
 * dropped), so the tail being dumped cannot move underneath it.
 */
public final class CaptureRing implements PanicConsole {
    static final int PAYLOAD = 120;
    /** Longest line kept, prefix included; longer lines are cut. Smaller than any dump part. */
    public static final int MAX_LINE = 4096;

    static final int FIRST = 1;
    static final int CONT = 2;
    /** The slot is being written by the writer of its sequence: its bytes are not valid. */
    static final int WRITING = 4;
    /** The slot's line was dropped (its writer was lapped, or its text failed): readers pass it. */
    static final int SKIP = 8;

    static final int READY = 0;
    static final int NOT_READY = -1;
    static final int GONE = -2;
    static final int NOT_A_START = -3;
    static final int SKIPPED = -4;

    /** How deep a line's write goes below {@link #line}, with room to spare: touched before the claim. */
    private static final int HEADROOM_FRAMES = 16;

    private static final VarHandle HEADER = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] headers;
    private final byte[] data;
    private final int mask;
    private final AtomicLong claim = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final long originNanos;
    private volatile Thread frozenFor;

    /**
     * @param bytes       memory for slot payloads; rounded up to a power-of-two number of slots
     * @param originNanos the {@link System#nanoTime()} that counts as uptime zero
     */
    public CaptureRing(int bytes, long originNanos) {
        int slots = Integer.highestOneBit(Math.max(64, bytes / PAYLOAD) - 1) << 1;
        this.headers = new long[slots];
        this.data = new byte[slots * PAYLOAD];
        this.mask = slots - 1;
        this.originNanos = originNanos;
        for (int i = 0; i < slots; i++) {
            headers[i] = -1L << 16; // a sequence no slot will ever have: nothing written yet
        }
    }

    /** Appends one line per {@code \n}-separated piece of {@code text}. Never blocks, never allocates. */
    @Override
    public void println(CharSequence text) {
        if (frozenOut()) {
            return;
        }
        int n = text.length();
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) == '\n') {
                line(text, from, i);
                from = i + 1;
            }
        }
        if (from < n || n == 0) {
            line(text, from, n);
        }
    }

    /**
     * Appends one line of UTF-8 bytes {@code bytes[from, from + len)}, which hold no newline (a longer line is
     * cut at a character boundary). The bytes go into the ring's slots in one copy. Never blocks, never allocates.
     */
    public void println(byte[] bytes, int from, int len) {
        if (frozenOut()) {
            return;
        }
        line(bytes, from, len);
    }

    /** Whether a dump froze the ring for another thread: then this thread's line is dropped, and counted. */
    private boolean frozenOut() {
        Thread f = frozenFor;
        if (f != null && f != Thread.currentThread()) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Appends UTF-8 bytes {@code bytes[0, len)} as one line per {@code \n}-separated piece. */
    void printlnPieces(byte[] bytes, int len) {
        if (frozenOut()) {
            return;
        }
        int from = 0;
        for (int i = 0; i < len; i++) {
            if (bytes[i] == '\n') {
                line(bytes, from, i - from);
                from = i + 1;
            }
        }
        if (from < len || len == 0) {
            line(bytes, from, len - from);
        }
    }

    /**
     * Writes one line of chars. The line's slots are consecutive, and so are their payloads in {@code data}
     * (apart from one wrap to the start), so bytes are written as one stream and the slot headers published after.
     */
    private void line(CharSequence text, int from, int to) {
        long uptime = uptime();
        int prefix = prefixLength(uptime);
        int room = MAX_LINE - prefix;
        int end = from;
        int bytes = 0;
        int ascii = from; // the usual line is ASCII: measured with one charAt each
        while (ascii < to && ascii - from < room && text.charAt(ascii) < 0x80) {
            ascii++;
        }
        boolean allAscii = ascii == to;
        if (allAscii) {
            end = to;
            bytes = to - from;
        }
        while (end < to) {
            int b = Utf8.length(text, end, to);
            if (bytes + b > room) {
                break;
            }
            bytes += b;
            end += Utf8.chars(text, end, to);
        }
        int total = prefix + bytes;
        long seq = claim(total);
        if (seq < 0) {
            return;
        }
        int slots = slots(total);
        try {
            int pos = putPrefix((int) (seq & mask) * PAYLOAD, uptime, prefix);
            if (allAscii && pos + bytes <= data.length) { // no wrap inside: a straight copy
                for (int i = from; i < end; i++) {
                    data[pos++] = (byte) text.charAt(i);
                }
            } else {
                encode(text, from, end, pos);
            }
        } catch (Throwable textFailed) {
            abandon(seq, slots, slots);
            throw textFailed;
        }
        publish(seq, slots, total);
    }

    /** Writes one line of UTF-8 bytes (no newline among them), cut at a character boundary when too long. */
    private void line(byte[] src, int from, int len) {
        long uptime = uptime();
        int prefix = prefixLength(uptime);
        int room = MAX_LINE - prefix;
        if (len > room) {
            len = room;
            while (len > 0 && (src[from + len] & 0xC0) == 0x80) { // not inside a character
                len--;
            }
        }
        int total = prefix + len;
        long seq = claim(total);
        if (seq < 0) {
            return;
        }
        int pos = putPrefix((int) (seq & mask) * PAYLOAD, uptime, prefix);
        int first = Math.min(len, data.length - pos);
        System.arraycopy(src, from, data, pos, first);
        if (first < len) {
            System.arraycopy(src, from + first, data, 0, len - first);
        }
        publish(seq, slots(total), total);
    }

    private long uptime() {
        return Math.max(0, System.nanoTime() - originNanos);
    }

    /** {@code [   12.345678] }: at least five digits of seconds, six of microseconds. */
    private static int prefixLength(long uptime) {
        return 1 + Math.max(5, digits(uptime / 1_000_000_000L)) + 1 + 6 + 2;
    }

    private static int slots(int total) {
        return (total + PAYLOAD - 1) / PAYLOAD;
    }

    /**
     * Claims and takes the slots of a line of {@code total} bytes; returns its first sequence, or -1 when
     * the line was dropped (its slots are resolved then).
     */
    private long claim(int total) {
        int slots = slots(total);
        if (headroom(HEADROOM_FRAMES) != HEADROOM_FRAMES) {
            return -1; // never: the call is what matters
        }
        long seq = claim.getAndAdd(slots);
        int taken = take(seq, slots);
        if (taken < slots) {
            abandon(seq, slots, taken);
            return -1;
        }
        return seq;
    }

    /** Writes the uptime prefix at {@code pos}; returns where the text goes. */
    private int putPrefix(int pos, long uptime, int prefix) {
        long seconds = uptime / 1_000_000_000L;
        int micros = (int) (uptime / 1000 % 1_000_000);
        int secondsDigits = digits(seconds);
        pos = put(pos, (byte) '[');
        for (int i = prefix - 10 - secondsDigits; i > 0; i--) {
            pos = put(pos, (byte) ' ');
        }
        pos = putDigits(pos, seconds, secondsDigits);
        pos = put(pos, (byte) '.');
        pos = putDigits(pos, micros, 6);
        pos = put(pos, (byte) ']');
        return put(pos, (byte) ' ');
    }

    /** Publishes the line's slot headers, in order, with release semantics. */
    private void publish(long seq, int slots, int total) {
        for (int j = 0; j < slots; j++) {
            long s = seq + j;
            int len = Math.min(PAYLOAD, total - j * PAYLOAD);
            int flags = (j == 0 ? FIRST : 0) | (j < slots - 1 ? CONT : 0);
            long published = (s << 16) | ((long) flags << 8) | len;
            HEADER.setRelease(headers, (int) (s & mask), published);
            markGivenUp(s, published);
        }
    }

    /**
     * Takes the line's slots in order, each by a compare-and-set to its sequence marked writing; returns
     * how many were taken. Stops at a slot still being written by an older writer (never waits for it) or
     * already taken by a newer one (this writer was lapped).
     */
    private int take(long seq, int slots) {
        for (int j = 0; j < slots; j++) {
            long s = seq + j;
            int idx = (int) (s & mask);
            long writing = (s << 16) | ((long) WRITING << 8);
            for (;;) {
                long h = (long) HEADER.getVolatile(headers, idx);
                long hs = h >> 16;
                boolean ours = hs == s && (flags(h) & SKIP) != 0; // marked for us by the writer we waited on
                if ((hs >= s && !ours) || (hs < s && (flags(h) & WRITING) != 0)) {
                    return j;
                }
                if (HEADER.compareAndSet(headers, idx, h, writing)) {
                    break;
                }
            }
        }
        VarHandle.storeStoreFence(); // the headers say writing before any byte changes
        return slots;
    }

    /**
     * The line is dropped: its slots are marked skipped, so that readers pass them without waiting. The
     * {@code taken} ones are this writer's; of the rest, those that nobody holds are taken to be marked (the
     * one that stopped the take belongs to a newer writer, or to an older one that will mark it).
     */
    private void abandon(long seq, int slots, int taken) {
        for (int j = 0; j < slots; j++) {
            long s = seq + j;
            int idx = (int) (s & mask);
            long skip = (s << 16) | ((long) SKIP << 8);
            if (j < taken) {
                HEADER.setRelease(headers, idx, skip);
                continue;
            }
            if (j == taken) {
                continue;
            }
            for (;;) {
                long h = (long) HEADER.getVolatile(headers, idx);
                if ((h >> 16) >= s || (flags(h) & WRITING) != 0 || HEADER.compareAndSet(headers, idx, h, skip)) {
                    break;
                }
            }
        }
        dropped.incrementAndGet();
    }

    /**
     * After publishing slot {@code s}: newer writers of the same slot that found it still being written gave
     * up. The newest of them gets its slot marked skipped, so that readers do not wait on it (or it takes
     * the slot itself, if it had not looked yet). Repeated while the claim laps on meanwhile.
     */
    private void markGivenUp(long s, long published) {
        int idx = (int) (s & mask);
        long expected = published;
        for (;;) {
            long newest = s + ((claim.get() - 1 - s) & ~(long) mask); // whole laps: slots is a power of two
            if (newest <= (expected >> 16)) {
                return;
            }
            long mark = (newest << 16) | ((long) SKIP << 8);
            if (!HEADER.compareAndSet(headers, idx, expected, mark)) {
                return; // the newer writer took the slot itself
            }
            expected = mark;
        }
    }

    /** Touches {@code frames} frames of stack, so that a StackOverflowError comes now, before a claim. */
    private static int headroom(int frames) {
        return frames == 0 ? 0 : headroom(frames - 1) + 1;
    }

    /** UTF-8 encoding byte by byte, wrapping at the end of the ring. */
    private void encode(CharSequence text, int from, int end, int pos) {
        for (int i = from; i < end; i += Utf8.chars(text, i, end)) {
            int cp = Utf8.codePoint(text, i, end);
            int size = Utf8.size(cp);
            for (int k = 0; k < size; k++) {
                pos = put(pos, Utf8.byteAt(cp, size, k));
            }
        }
    }

    private int put(int pos, byte b) {
        data[pos] = b;
        return pos + 1 == data.length ? 0 : pos + 1;
    }

    /** The last {@code width} digits of {@code value}, right to left: divisions by the constant 10 only (a multiply each). */
    private int putDigits(int pos, long value, int width) {
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            int p = pos + i;
            data[p >= data.length ? p - data.length : p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        }
        int end = pos + width;
        return end >= data.length ? end - data.length : end;
    }

    /** Lines written since boot, counting slots; readers use it as the end of what exists. */
    public long head() {
        return claim.get();
    }

    /** Slots in the ring. */
    int capacity() {
        return headers.length;
    }

    /** Lines dropped: written while the ring was frozen for a panic dump, or by a lapped writer, or whose text failed. */
    public long dropped() {
        return dropped.get();
    }

    /** Only the calling thread may write until {@link #thaw()}. */
    public void freeze() {
        frozenFor = Thread.currentThread();
    }

    public void thaw() {
        frozenFor = null;
    }

    /**
     * Reads the line whose first slot is {@code seq} into {@code out} (at most {@code max} bytes; longer lines
     * are cut). Returns the number of slots it spans, or {@link #NOT_READY}, {@link #GONE} or
     * {@link #NOT_A_START}; the line's length goes to {@code length[0]}.
     */
    int read(long seq, byte[] out, int outOffset, int max, int[] length) {
        int start = startState(seq);
        if (start != READY) {
            return start;
        }
        int copied = 0;
        int slots = 0;
        long s = seq;
        while (true) {
            int idx = (int) (s & mask);
            long hs = (long) HEADER.getAcquire(headers, idx);
            int st = state(hs, s);
            if (st != READY) {
                return st == SKIPPED ? GONE : st; // a line's later slot is never skipped once its first is published
            }
            int len = (int) (hs & 0xFF);
            int take = Math.min(len, max - copied);
            if (take > 0) {
                System.arraycopy(data, idx * PAYLOAD, out, outOffset + copied, take);
                copied += take;
            }
            slots++;
            VarHandle.acquireFence();
            if ((long) HEADER.getVolatile(headers, idx) != hs) {
                return GONE;
            }
            if ((flags(hs) & CONT) == 0) {
                break;
            }
            s++;
        }
        length[0] = copied;
        return slots;
    }

    /**
     * Copies the newest complete lines that come before {@code tail.end} into {@code buf}, backward from
     * {@code end} and no lower than {@code limit}, each followed by a newline, in chronological order. Moves
     * {@code tail.end} to the first line taken, so the next call continues with older lines (Linux's
     * kmsg_dump_get_buffer). Returns where the copied text starts; {@code end} when nothing was taken.
     * Lines still being written, or overwritten meanwhile, are skipped. Allocation-free.
     */
    public int fillBackward(Tail tail, byte[] buf, int limit, int end) {
        int pos = end;
        long floor = Math.max(0, head() - headers.length);
        for (long s = tail.end - 1; s >= floor; s--) {
            int st = startState(s);
            if (st == GONE) {
                break;
            }
            if (st != READY) {
                continue;
            }
            int len = lineLength(s);
            if (len < 0) {
                continue;
            }
            if (pos - len - 1 < limit) {
                if (pos == end && len + 1 > end - limit) {
                    tail.end = s; // a line longer than a whole part: never happens below MAX_LINE, but never loops
                    continue;
                }
                break;
            }
            if (read(s, buf, pos - len - 1, len, tail.length) > 0 && tail.length[0] == len) {
                buf[pos - 1] = '\n';
                pos -= len + 1;
            }
            tail.end = s;
        }
        if (pos == end) {
            tail.end = floor;
        }
        return pos;
    }

    /** Total bytes of the line starting at {@code seq}, from its headers; -1 if not all readable. */
    private int lineLength(long seq) {
        int total = 0;
        for (long s = seq; ; s++) {
            long h = (long) HEADER.getAcquire(headers, (int) (s & mask));
            if (state(h, s) != READY) {
                return -1;
            }
            total += (int) (h & 0xFF);
            if ((flags(h) & CONT) == 0) {
                return total;
            }
        }
    }

    /**
     * Reads the next complete line at or after {@code cursor.next} into {@code out} (sized {@link #MAX_LINE}).
     * Returns its length, or -1 when there is nothing new yet. Lines overwritten before they were read, or
     * left half-written for over a second, are skipped and counted in {@code cursor.lost}.
     */
    public int next(Cursor cursor, byte[] out) {
        return next(cursor, out, 0);
    }

    /**
     * As {@link #next(Cursor, byte[])}, writing at {@code offset} (which must leave {@link #MAX_LINE} bytes).
     * The cursor reads the writers' claim only when it has caught up with what it last saw of it, or found a
     * line overwritten: a reader that reads it for every line pulls its cache line away from the writers,
     * who change it for every line.
     */
    public int next(Cursor cursor, byte[] out, int offset) {
        long head = cursor.head;
        if (cursor.next >= head) {
            head = cursor.head = head();
        }
        while (cursor.next < head) {
            int r = read(cursor.next, out, offset, MAX_LINE, cursor.length);
            if (r > 0) {
                cursor.next += r;
                cursor.stalledSince = 0;
                return cursor.length[0];
            }
            if (r == GONE) {
                // Lapped: skip what the writers overwrote, at once, and half a ring more. Resumed at the
                // oldest slot, the reader would read each line just before a writer takes its slot again,
                // lapped again and again, and the writers would pay for the cache lines it holds.
                head = cursor.head = head();
                long resume = head - headers.length / 2;
                if (cursor.next < resume) {
                    cursor.lost += resume - cursor.next;
                    cursor.next = resume;
                    continue;
                }
                cursor.lost++;
            } else if (r == NOT_READY) {
                long now = System.nanoTime();
                if (cursor.stalledSince == 0) {
                    cursor.stalledSince = now;
                    return -1;
                }
                if (now - cursor.stalledSince < 1_000_000_000L) {
                    return -1;
                }
                cursor.stalledSince = 0;
                cursor.lost++;
            }
            cursor.next++; // SKIPPED: a dropped line, passed at once (counted by its writer); NOT_A_START likewise
        }
        return -1;
    }

    /** A backward position for {@link #fillBackward}: starts at the ring's head. Reuse one per dumper. */
    public static final class Tail {
        long end;
        final int[] length = new int[1];

        public void reset(CaptureRing ring) {
            end = ring.head();
        }

        public boolean exhausted(CaptureRing ring) {
            return end <= Math.max(0, ring.head() - ring.headers.length);
        }
    }

    /** A forward position for {@link #next}. One per reader thread. */
    public static final class Cursor {
        long next;
        /** The writers' claim as this cursor last read it. */
        long head;
        long lost;
        long stalledSince;
        final int[] length = new int[1];

        public Cursor(long from) {
            this.next = from;
        }

        /**
         * What the reader never saw, in slots: overwritten before it came, or left half-written. A line lost
         * counts at least one (a line takes one slot per 120 bytes of text, {@code PAYLOAD}).
         */
        public long lost() {
            return lost;
        }

        /** The next slot this cursor will read. */
        public long next() {
            return next;
        }
    }

    /** Whether the slot at {@code seq} starts a line (READY and FIRST), or the reason it cannot be read. */
    int startState(long seq) {
        long h = (long) HEADER.getAcquire(headers, (int) (seq & mask));
        int state = state(h, seq);
        if (state != READY) {
            return state;
        }
        return (flags(h) & FIRST) != 0 ? READY : NOT_A_START;
    }

    private static int state(long h, long seq) {
        long s = h >> 16;
        if (s == seq) {
            int f = flags(h);
            return (f & WRITING) != 0 ? NOT_READY : (f & SKIP) != 0 ? SKIPPED : READY;
        }
        return s < seq ? NOT_READY : GONE;
    }

    private static int flags(long h) {
        return (int) (h >>> 8) & 0xFF;
    }

    static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

}
