package org.pstore.frontend;

import java.util.zip.CRC32C;

import org.pstore.PstoreException;
import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.core.Status;
import org.pstore.record.Identity;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The pmsg frontend: an application message, persisted and acknowledged. {@link #write} returns once the
 * message is in the store, and throws {@link PstoreException} saying why when it cannot be.
 */
public final class Pmsg {
    private final Backend backend;
    private final Identity identity;
    private final RecordIds ids;
    private final int maxMessage;
    private final ThreadLocal<Buffers> buffers;

    public Pmsg(Backend backend, Identity identity, RecordIds ids, int maxRecord) {
        this.backend = backend;
        this.identity = identity;
        this.ids = ids;
        this.maxMessage = maxRecord - RecordFormat.headerLength(identity);
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(RecordFormat.headerLength(identity) + 256));
    }

    /** The largest message accepted, in bytes. */
    public int maxMessage() {
        return maxMessage;
    }

    public long write(byte[] message, int offset, int length) {
        if (length > maxMessage) {
            throw new PstoreException(Status.INVALID, "pmsg of " + length + " bytes is larger than the largest accepted, " + maxMessage + " bytes");
        }
        long id = ids.nextNormal();
        if (id < 0) {
            throw new PstoreException(Status.OUT_OF_RESOURCES, "pmsg not stored: this run used up its record ids; they start again after a restart");
        }
        Buffers b = buffers.get();
        int at = RecordFormat.headerLength(identity);
        byte[] frame = b.frame(at + length);
        System.arraycopy(message, offset, frame, at, length);
        int size = RecordFormat.seal(frame, identity, RecordType.PMSG, 0, false, 0, 0, id, System.currentTimeMillis(), length, b.crc);
        Status s = backend.write(b.write.set(RecordType.PMSG, 0, 0, id, false, frame, size));
        if (!s.ok()) {
            throw new PstoreException(s, "pmsg not stored: " + why(s));
        }
        return id;
    }

    private static String why(Status s) {
        switch (s) {
            case BUSY:
                return "the store stayed busy past the operation timeout";
            case ABORTED:
                return "interrupted while waiting for the store";
            case OUT_OF_RESOURCES:
                return "the store is full (its reserve is kept for crash records)";
            case INVALID:
                return "the message is larger than the pmsg budget";
            default:
                return s.description();
        }
    }

    private static final class Buffers {
        byte[] frame;
        final CRC32C crc = new CRC32C();
        final RecordWrite write = new RecordWrite();

        Buffers(int size) {
            frame = new byte[size];
        }

        byte[] frame(int size) {
            if (frame.length < size) {
                frame = new byte[Math.max(size, frame.length * 2)];
            }
            return frame;
        }
    }
}
