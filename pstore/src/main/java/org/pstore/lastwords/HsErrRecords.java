package org.pstore.lastwords;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.compress.Compression;
import org.pstore.compress.Compressor;
import org.pstore.core.Status;
import org.pstore.record.Identity;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * An hs_err file as records of type {@code hserr}: the file cut into pieces that each fit a record once
 * compressed, part 1 being the file's beginning and the last part flagged as such, every part's count the boot
 * number of the run that crashed. Put back together, decompressed, they are the file byte for byte.
 */
public final class HsErrRecords {
    /** A piece of the file is at most this many times the record size before it is compressed (text shrinks 4-8x). */
    private static final int PIECE_PER_RECORD = 6;

    private HsErrRecords() {
    }

    /** Writes {@code file}; returns the names of the parts written, in order (empty when the backend refused the first). */
    static List<String> write(byte[] file, Backend backend, Identity identity, RecordIds ids, int recordSize, long crashedBoot) {
        int h = RecordFormat.headerLength(identity);
        byte[] frame = new byte[h + recordSize];
        Compressor compressor = new Compressor(Compression.DEFLATE);
        CRC32C crc = new CRC32C();
        RecordWrite w = new RecordWrite();
        List<String> names = new ArrayList<>();
        int part = 1;
        for (int at = 0; at < file.length || at == 0; part++) {
            int piece = Math.min(file.length - at, PIECE_PER_RECORD * recordSize);
            int n;
            boolean compressed;
            while (true) {
                n = compressor.compress(file, at, piece, frame, h, recordSize);
                if (n > 0) {
                    compressed = true;
                    break;
                }
                if (piece <= recordSize) {
                    System.arraycopy(file, at, frame, h, piece);
                    n = piece;
                    compressed = false;
                    break;
                }
                piece = Math.max(recordSize, piece / 2);
            }
            boolean last = at + piece >= file.length;
            long id = ids.nextNormal();
            int size = RecordFormat.seal(frame, identity, RecordType.HSERR, 0, compressed, part, (int) crashedBoot, 0, last, id,
                    System.currentTimeMillis(), n, crc);
            Status s = backend.write(w.set(RecordType.HSERR, part, (int) crashedBoot, id, compressed, frame, size));
            if (!s.ok()) {
                break;
            }
            names.add(RecordType.HSERR.word() + "-" + backend.name() + "-" + id);
            at += piece;
            if (last) {
                break;
            }
        }
        return names;
    }

    /** The parts of the hs_err file that {@code part} belongs to, in order. */
    public static List<PstoreRecord> parts(List<PstoreRecord> records, PstoreRecord part) {
        List<PstoreRecord> parts = new ArrayList<>();
        for (PstoreRecord r : records) {
            if (r.type() == RecordType.HSERR && r.count() == part.count() && r.bootNumber() == part.bootNumber()) {
                parts.add(r);
            }
        }
        parts.sort(Comparator.comparingInt(PstoreRecord::part));
        return parts;
    }

    /** The file put back together from its parts' payloads (decompressed), or null when a part is gone or does not decompress. */
    public static byte[] join(List<PstoreRecord> parts, Function<PstoreRecord, byte[]> payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PstoreRecord p : parts) {
            byte[] b = payload.apply(p);
            if (b == null) {
                return null;
            }
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}
