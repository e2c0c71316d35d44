package org.pstore.frontend;

import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.boot.Lifetime;
import org.pstore.capture.CaptureRing;
import org.pstore.compress.Compression;
import org.pstore.compress.Compressor;
import org.pstore.panic.DumpReason;
import org.pstore.panic.Dumper;
import org.pstore.panic.PanicEvent;
import org.pstore.record.Identity;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The dmesg frontend, Linux's pstore_dump: takes the tail of the capture ring ({@code kmsgBytes}), newest
 * first, in parts of the backend's buffer size; prefixes each with {@code Panic#N Part#M} (Oops#N, ...);
 * compresses it (stored raw when compression fails or does not help) and writes every part.
 *
 * <p>A panic or emergency dump runs on the panicking thread with buffers made at boot and writes through
 * the backend's crash-time path: no allocation, no lock, no waiting. Oops and shutdown dumps run on the
 * normal path with a second set of buffers.
 */
public final class DmesgDumper implements Dumper {
    private static final byte[][] WORDS = {
        ascii("Dump"), ascii("Panic"), ascii("Oops"), ascii("Emergency"), ascii("Shutdown")};
    private static final byte[] PART = ascii(" Part#");
    /** Room kept before the text for the part header line. */
    static final int HEADER_ROOM = 64;

    private final CaptureRing ring;
    private final Backend backend;
    private final Identity identity;
    private final RecordIds ids;
    private final Lifetime lifetime;
    private final int kmsgBytes;
    private final Buffers crash;
    private final Buffers normal;
    private volatile long lastDumpParts;

    public DmesgDumper(CaptureRing ring, Backend backend, Identity identity, RecordIds ids, Lifetime lifetime,
                       int kmsgBytes, Compression compression) {
        this.ring = ring;
        this.backend = backend;
        this.identity = identity;
        this.ids = ids;
        this.lifetime = lifetime;
        this.kmsgBytes = kmsgBytes;
        this.crash = new Buffers(backend.bufferSize(), identity, compression);
        this.normal = new Buffers(backend.bufferSize(), identity, compression);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void dump(DumpReason reason, PanicEvent event) {
        dump(reason, event.wallMillis());
    }

    /** Dumps the ring's tail for {@code reason}, timestamped {@code wallMillis}. */
    public void dump(DumpReason reason, long wallMillis) {
        if (reason == DumpReason.PANIC || reason == DumpReason.EMERG) {
            dumpWith(crash, reason, wallMillis, true);
        } else {
            synchronized (normal) {
                dumpWith(normal, reason, wallMillis, false);
            }
        }
    }

    /**
     * At boot: one part through the whole crash-time path (ring tail, header, compression, frame, backend),
     * kept nowhere, so nothing the panic path touches is loaded for the first time during a panic.
     */
    public void rehearse() {
        Buffers b = crash;
        b.tail.reset(ring);
        int start = ring.fillBackward(b.tail, b.text, HEADER_ROOM, b.text.length);
        int from = header(b.text, start, DumpReason.PANIC, 0, 1);
        backend.rehearse(frame(b, DumpReason.PANIC, 0, 1, from, System.currentTimeMillis()));
        b.note("", 0, "", "");
    }

    /** Parts written by the last dump (the benchmarks report it). */
    public long lastDumpParts() {
        return lastDumpParts;
    }

    private void dumpWith(Buffers b, DumpReason reason, long time, boolean crashTime) {
        boolean freeze = reason == DumpReason.PANIC;
        if (freeze) {
            ring.freeze();
        }
        try {
            int count = lifetime.next(reason);
            b.tail.reset(ring);
            int total = 0;
            int part = 1;
            while (total < kmsgBytes) {
                int start = ring.fillBackward(b.tail, b.text, HEADER_ROOM, b.text.length);
                if (start == b.text.length) {
                    break;
                }
                total += b.text.length - start;
                int from = header(b.text, start, reason, count, part);
                write(b, reason, count, part, from, time, crashTime);
                part++;
            }
            lastDumpParts = part - 1;
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
    private RecordWrite frame(Buffers b, DumpReason reason, int count, int part, int from, long time) {
        int length = b.text.length - from;
        int payloadAt = RecordFormat.headerLength(identity);
        int packed = b.compressor.compress(b.text, from, length, b.frame, payloadAt, b.frame.length - payloadAt);
        boolean compressed = packed > 0;
        if (!compressed) {
            System.arraycopy(b.text, from, b.frame, payloadAt, length);
        }
        long id = ids.next();
        int size = RecordFormat.seal(b.frame, identity, RecordType.DMESG, reason.code(), compressed, part, count, id, time,
                compressed ? packed : length, b.crc);
        return b.write.set(RecordType.DMESG, part, count, id, compressed, b.frame, size);
    }

    private void write(Buffers b, DumpReason reason, int count, int part, int from, long time, boolean crashTime) {
        backend.write(frame(b, reason, count, part, from, time), crashTime);
        if (b.write.placed() == RecordWrite.Placement.PANIC_AREA) {
            ring.println(b.note("[pstore] part ", part, " went to the panic area; the store said: ", b.write.storeStatus().description()));
        } else if (b.write.placed() == RecordWrite.Placement.NOWHERE) {
            ring.println(b.note("[pstore] part ", part, " could not be written anywhere; the store said: ", b.write.storeStatus().description()));
        }
    }

    /** Everything one dump needs, made once. */
    private static final class Buffers {
        final byte[] text;
        final byte[] frame;
        final Compressor compressor;
        final CaptureRing.Tail tail = new CaptureRing.Tail();
        final RecordWrite write = new RecordWrite();
        final CRC32C crc = new CRC32C();
        final StringBuilder note = new StringBuilder(160);

        Buffers(int bufferSize, Identity identity, Compression compression) {
            this.text = new byte[bufferSize];
            this.frame = new byte[RecordFormat.headerLength(identity) + bufferSize];
            this.compressor = new Compressor(compression);
        }

        CharSequence note(String a, int part, String b, String status) {
            note.setLength(0);
            return note.append(a).append(part).append(b).append(status);
        }
    }
}
