package org.pstore.frontend;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.record.Lifetime;
import org.pstore.capture.CaptureRing;
import org.pstore.compress.Compression;
import org.pstore.compress.Compressor;
import org.pstore.panic.DumpReason;
import org.pstore.panic.Dumper;
import org.pstore.panic.PanicEvent;
import org.pstore.record.Identity;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.Location;
import org.pstore.record.RecordType;

/**
 * The dmesg frontend, Linux's pstore_dump: takes the tail of the capture ring ({@code kmsgBytes}), newest
 * first, in parts of the backend's buffer size; prefixes each with {@code Panic#N Part#M} (Oops#N, ...);
 * compresses it (stored raw when compression fails or does not help) and writes every part, the last one
 * flagged so that a reader knows the revision is whole.
 *
 * <p>Every kind of dump owns its buffers, as Linux's {@code buf_lock} guards {@code psi->buf}, but a panic
 * never waits, so it takes buffers nobody else can hold: the panic's early and full revisions each have a
 * set of their own (each is one step of the notifier chain, run once, by the owner or by the panic timer
 * after a takeover); an emergency dump takes its set with a try-lock and is skipped when another holds it;
 * oops and shutdown dumps run on the normal path under the monitor of theirs. The rehearsal at boot runs
 * before the dumper is registered. Crash-time dumps (panic, emergency) allocate nothing, take no lock and
 * never wait.
 */
public final class DmesgDumper implements Dumper {
    private static final byte[][] WORDS = {
        ascii("Dump"), ascii("Panic"), ascii("Oops"), ascii("Emergency"), ascii("Shutdown")};
    private static final byte[] PART = ascii(" Part#");
    /** Room kept before the text for the part header line. */
    static final int HEADER_ROOM = 64;
    /** No dump writes more parts than this, whatever the settings (the panic area holds a few per dump). */
    static final int MAX_PARTS = 256;
    // Fields, not literals at the call sites: a string literal is made (allocated) the first time its code
    // runs, and these lines are printed for the first time at crash time.
    private static final String PART_NOTE = text("[pstore] part ");
    private static final String TO_AREA = text(" went to the panic area; the store said: ");
    private static final String NOWHERE = text(" could not be written anywhere; the store said: ");
    private static final String EMERGENCY_SKIPPED = text("[pstore] emergency dump skipped: another one is being written");

    private final CaptureRing ring;
    private final Backend backend;
    private final Identity identity;
    private final RecordIds ids;
    private final Lifetime lifetime;
    private final int kmsgBytes;
    private final Buffers early;
    private final Buffers full;
    private final Buffers emergency;
    private final Buffers normal;
    private final AtomicBoolean emergencyBusy = new AtomicBoolean();
    /** The N of the last panic's Panic#N, which its full revision shares; 0 until an early revision takes it. */
    private final AtomicInteger panicCount = new AtomicInteger();
    private volatile long lastDumpParts;

    public DmesgDumper(CaptureRing ring, Backend backend, Identity identity, RecordIds ids, Lifetime lifetime,
                       int kmsgBytes, Compression compression) {
        this.ring = ring;
        this.backend = backend;
        this.identity = identity;
        this.ids = ids;
        this.lifetime = lifetime;
        this.kmsgBytes = kmsgBytes;
        this.early = new Buffers(backend.bufferSize(), identity, compression);
        this.full = new Buffers(backend.bufferSize(), identity, compression);
        this.emergency = new Buffers(backend.bufferSize(), identity, compression);
        this.normal = new Buffers(backend.bufferSize(), identity, compression);
    }

    private static String text(String s) {
        return s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void dump(DumpReason reason, int revision, PanicEvent event) {
        dump(reason, revision, event.wallMillis());
    }

    /** Dumps the ring's tail for {@code reason} (revision {@link Dumper#ONCE}), timestamped {@code wallMillis}. */
    public void dump(DumpReason reason, long wallMillis) {
        dump(reason, ONCE, wallMillis);
    }

    /** Dumps the ring's tail for {@code reason}, as revision {@code revision}, timestamped {@code wallMillis}. */
    public void dump(DumpReason reason, int revision, long wallMillis) {
        if (reason == DumpReason.PANIC) {
            dumpWith(revision == FULL ? full : early, reason, revision, panicCount(revision), wallMillis, true);
        } else if (reason == DumpReason.EMERG) {
            if (!emergencyBusy.compareAndSet(false, true)) {
                ring.println(EMERGENCY_SKIPPED);
                return;
            }
            try {
                dumpWith(emergency, reason, ONCE, lifetime.next(reason), wallMillis, true);
            } finally {
                emergencyBusy.set(false);
            }
        } else {
            synchronized (normal) {
                dumpWith(normal, reason, ONCE, lifetime.next(reason), wallMillis, false);
            }
        }
    }

    /**
     * The panic's count: a new one for the early revision (which always starts first: it precedes the full
     * one in the notifier chain), the same for the full one.
     */
    private int panicCount(int revision) {
        if (revision == FULL) {
            int count = panicCount.get();
            return count != 0 ? count : lifetime.next(DumpReason.PANIC);
        }
        int count = lifetime.next(DumpReason.PANIC);
        panicCount.set(count);
        return count;
    }

    /**
     * At boot, before the dumper is registered: one part through each crash-time path (ring tail, header,
     * compression, frame, backend), kept nowhere, and each atomic operation a dump makes, so nothing the panic
     * path touches is loaded or linked for the first time during a panic.
     */
    public void rehearse() {
        lifetime.rehearse();
        emergencyBusy.compareAndSet(false, false); // links the try-lock's VarHandle access mode now
        for (Buffers b : new Buffers[] {early, full, emergency}) {
            b.tail.reset(ring);
            int start = ring.fillBackward(b.tail, b.text[0], HEADER_ROOM, b.text[0].length);
            int from = header(b.text[0], start, DumpReason.PANIC, 0, 1);
            backend.rehearse(frame(b, b.text[0], DumpReason.PANIC, 0, 1, FULL, true, from, System.currentTimeMillis()));
            b.note("", 0, "", "");
        }
    }

    /** Parts written by the last dump (the benchmarks report it). */
    public long lastDumpParts() {
        return lastDumpParts;
    }

    /**
     * The tail in parts, newest first. Each part's text is taken before the previous one is written, so the
     * last part written knows it is the last (two text buffers, used in turn).
     */
    private void dumpWith(Buffers b, DumpReason reason, int revision, int count, long time, boolean crashTime) {
        boolean freeze = reason == DumpReason.PANIC;
        if (freeze) {
            ring.freeze();
        }
        try {
            b.tail.reset(ring);
            int cur = 0;
            int end = b.text[0].length;
            int start = ring.fillBackward(b.tail, b.text[cur], HEADER_ROOM, end);
            int total = 0;
            int part = 1;
            while (start < end) {
                total += end - start;
                boolean more = total < kmsgBytes && part < MAX_PARTS;
                int next = more ? ring.fillBackward(b.tail, b.text[1 - cur], HEADER_ROOM, end) : end;
                boolean last = next == end;
                int from = header(b.text[cur], start, reason, count, part);
                write(b, frame(b, b.text[cur], reason, count, part, revision, last, from, time), part, crashTime);
                if (last) {
                    break;
                }
                cur = 1 - cur;
                start = next;
                part++;
            }
            lastDumpParts = start < end ? part : 0;
        } finally {
            if (freeze) {
                ring.thaw();
            }
        }
    }

    /** Writes "Panic#N Part#M\n" just before {@code start}; returns where the part now begins. */
    private static int header(byte[] text, int start, DumpReason reason, int count, int part) {
        int at = start;
        text[--at] = '\n';
        at = digitsBackward(text, at, part);
        for (int i = PART.length - 1; i >= 0; i--) {
            text[--at] = PART[i];
        }
        at = digitsBackward(text, at, count);
        text[--at] = '#';
        byte[] word = WORDS[reason.code()];
        for (int i = word.length - 1; i >= 0; i--) {
            text[--at] = word[i];
        }
        return at;
    }

    private static int digitsBackward(byte[] buf, int at, int value) {
        do {
            buf[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value > 0);
        return at;
    }

    /** Compresses the part (raw when that fails or does not help), seals its frame, and describes it for the backend. */
    private RecordWrite frame(Buffers b, byte[] text, DumpReason reason, int count, int part, int revision, boolean last,
                              int from, long time) {
        int length = text.length - from;
        int payloadAt = RecordFormat.headerLength(identity);
        int packed = b.compressor.compress(text, from, length, b.frame, payloadAt, b.frame.length - payloadAt);
        boolean compressed = packed > 0;
        if (!compressed) {
            System.arraycopy(text, from, b.frame, payloadAt, length);
        }
        long id = ids.next();
        int size = RecordFormat.seal(b.frame, identity, RecordType.DMESG, reason.code(), compressed, part, count,
                revision, last, id, time, compressed ? packed : length, b.crc);
        return b.write.set(RecordType.DMESG, part, count, id, compressed, b.frame, size);
    }

    /** Writes the part; says in the ring where it went when not to the store. Never throws: the next part matters. */
    private void write(Buffers b, RecordWrite w, int part, boolean crashTime) {
        try {
            if (crashTime) {
                backend.panicWrite(w);
            } else {
                backend.write(w);
            }
            if (w.placed() == Location.PANIC_AREA) {
                ring.println(b.note(PART_NOTE, part, TO_AREA, w.storeStatus().description()));
            } else if (w.placed() == Location.NOWHERE) {
                ring.println(b.note(PART_NOTE, part, NOWHERE, w.storeStatus().description()));
            }
        } catch (Throwable failed) {
            // the backend's crash-time write does not throw; should a note fail, the other parts still go
        }
    }

    /** Everything one kind of dump needs, made once. */
    private static final class Buffers {
        /** Two, used in turn: the next part's text is taken before the current one is written. */
        final byte[][] text;
        final byte[] frame;
        final Compressor compressor;
        final CaptureRing.Tail tail = new CaptureRing.Tail();
        final RecordWrite write = new RecordWrite();
        final CRC32C crc = new CRC32C();
        final StringBuilder note = new StringBuilder(160);

        Buffers(int bufferSize, Identity identity, Compression compression) {
            this.text = new byte[][] {new byte[bufferSize], new byte[bufferSize]};
            this.frame = new byte[RecordFormat.headerLength(identity) + bufferSize];
            this.compressor = new Compressor(compression);
        }

        CharSequence note(String a, int part, String b, String status) {
            note.setLength(0);
            return note.append(a).append(part).append(b).append(status);
        }
    }
}
