package org.pstore.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of every record, wherever it is kept (a store variable, the panic area). An ABI:
 * versioned, never reinterpreted. Each frame validates itself; a frame that fails is skipped and counted.
 *
 * <pre>
 * offset size  field (little-endian)
 *  0     4     magic 0x52545350 ("PSTR")
 *  4     2     version (1)
 *  6     2     header length H (this table plus the two strings)
 *  8     4     payload length P
 * 12     4     CRC32C of bytes [0,12) and [16,H+P)
 * 16     2     type (RecordType code)
 * 18     1     reason (DumpReason code; 0 for non-dump records)
 * 19     1     flags: bit 0 = payload compressed (zlib); bit 1 = the last part of its dump revision
 * 20     4     part (1 = newest; 0 when not a dump)
 * 24     4     count (lifetime panic/oops counter; 0 when not a dump)
 * 28     4     revision of the dump: 0 = made once; a panic writes 1 (the cause and log tail, before anything
 *              needs heap), then 2 (the whole report), which supersedes 1 once its last part is there
 * 32     8     id (unique per store, stable across restarts)
 * 40     8     time, milliseconds since the epoch (UTC)
 * 48     8     pid
 * 56    16     boot id (UUID, most significant half first)
 * 72     1     host length h, then h bytes UTF-8
 * 73+h   1     JVM length j, then j bytes UTF-8
 * H      P     payload
 * </pre>
 */
public final class RecordFormat {
    public static final int MAGIC = 0x52545350;
    public static final int VERSION = 1;
    public static final int FIXED = 72;
    public static final int MAX_STRING = 120;
    /** The largest header: fixed part plus two maximal strings. */
    public static final int MAX_HEADER = FIXED + 2 + 2 * MAX_STRING;
    public static final int FLAG_COMPRESSED = 1;
    public static final int FLAG_LAST_PART = 2;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private RecordFormat() {
    }

    public static int headerLength(Identity identity) {
        return FIXED + 2 + identity.hostBytes.length + identity.jvmBytes.length;
    }

    /**
     * Writes the header into {@code buf} for a payload of {@code payloadLength} bytes that the caller has
     * already placed (or will place) at {@code headerLength(identity)}, then seals the frame with its CRC.
     * Returns the frame's total length. Allocation-free.
     */
    public static int seal(byte[] buf, Identity identity, RecordType type, int reason, boolean compressed, int part,
                           int count, long id, long timeMillis, int payloadLength, CRC32C crc) {
        return seal(buf, identity, type, reason, compressed, part, count, 0, false, id, timeMillis, payloadLength, crc);
    }

    /** As above, for a part of a dump revision ({@code revision}, and whether it is the revision's last part). */
    public static int seal(byte[] buf, Identity identity, RecordType type, int reason, boolean compressed, int part,
                           int count, int revision, boolean lastPart, long id, long timeMillis, int payloadLength,
                           CRC32C crc) {
        int h = headerLength(identity);
        INT.set(buf, 0, MAGIC);
        SHORT.set(buf, 4, (short) VERSION);
        SHORT.set(buf, 6, (short) h);
        INT.set(buf, 8, payloadLength);
        SHORT.set(buf, 16, (short) type.code());
        buf[18] = (byte) reason;
        buf[19] = (byte) ((compressed ? FLAG_COMPRESSED : 0) | (lastPart ? FLAG_LAST_PART : 0));
        INT.set(buf, 20, part);
        INT.set(buf, 24, count);
        INT.set(buf, 28, revision);
        LONG.set(buf, 32, id);
        LONG.set(buf, 40, timeMillis);
        LONG.set(buf, 48, identity.pid());
        LONG.set(buf, 56, identity.bootId().getMostSignificantBits());
        LONG.set(buf, 64, identity.bootId().getLeastSignificantBits());
        int at = FIXED;
        buf[at++] = (byte) identity.hostBytes.length;
        System.arraycopy(identity.hostBytes, 0, buf, at, identity.hostBytes.length);
        at += identity.hostBytes.length;
        buf[at++] = (byte) identity.jvmBytes.length;
        System.arraycopy(identity.jvmBytes, 0, buf, at, identity.jvmBytes.length);
        int total = h + payloadLength;
        INT.set(buf, 12, checksum(buf, total, crc));
        return total;
    }

    private static int checksum(byte[] buf, int total, CRC32C crc) {
        crc.reset();
        crc.update(buf, 0, 12);
        crc.update(buf, 16, total - 16);
        return (int) crc.getValue();
    }

    /** Length of a valid frame starting at {@code off}, or -1 when magic, version, lengths or CRC do not hold. */
    public static int validate(byte[] buf, int off, int available, CRC32C crc) {
        if (available < FIXED + 2 || (int) INT.get(buf, off) != MAGIC || (short) SHORT.get(buf, off + 4) != VERSION) {
            return -1;
        }
        int h = Short.toUnsignedInt((short) SHORT.get(buf, off + 6));
        int p = (int) INT.get(buf, off + 8);
        if (h < FIXED + 2 || h > MAX_HEADER || p < 0 || (long) h + p > available) {
            return -1;
        }
        int hostLength = buf[off + FIXED] & 0xFF;
        if (FIXED + 1 + hostLength + 1 > h || FIXED + 2 + hostLength + (buf[off + FIXED + 1 + hostLength] & 0xFF) != h) {
            return -1;
        }
        crc.reset();
        crc.update(buf, off, 12);
        crc.update(buf, off + 16, h + p - 16);
        return (int) crc.getValue() == (int) INT.get(buf, off + 12) ? h + p : -1;
    }

    /**
     * Validates and decodes frames one after another, reusing the host, JVM and boot id of the previous
     * frame when they are the same bytes (records of one run share them): a reader decoding a million
     * records makes a few strings, not millions.
     */
    public static final class Decoder {
        private final CRC32C crc = new CRC32C();
        private byte[] hostBytes = new byte[0];
        private String host = "";
        private byte[] jvmBytes = new byte[0];
        private String jvm = "";
        private long bootMsb;
        private long bootLsb;
        private UUID bootId;

        /** The frame at {@code off}, or null when it does not validate. */
        public Frame decode(byte[] buf, int off, int available) {
            if (validate(buf, off, available, crc) < 0) {
                return null;
            }
            int h = Short.toUnsignedInt((short) SHORT.get(buf, off + 6));
            int hostLength = buf[off + FIXED] & 0xFF;
            int jvmAt = off + FIXED + 1 + hostLength;
            int jvmLength = buf[jvmAt] & 0xFF;
            if (!java.util.Arrays.equals(hostBytes, 0, hostBytes.length, buf, off + FIXED + 1, off + FIXED + 1 + hostLength)) {
                hostBytes = java.util.Arrays.copyOfRange(buf, off + FIXED + 1, off + FIXED + 1 + hostLength);
                host = new String(hostBytes, StandardCharsets.UTF_8);
            }
            if (!java.util.Arrays.equals(jvmBytes, 0, jvmBytes.length, buf, jvmAt + 1, jvmAt + 1 + jvmLength)) {
                jvmBytes = java.util.Arrays.copyOfRange(buf, jvmAt + 1, jvmAt + 1 + jvmLength);
                jvm = new String(jvmBytes, StandardCharsets.UTF_8);
            }
            long msb = (long) LONG.get(buf, off + 56);
            long lsb = (long) LONG.get(buf, off + 64);
            if (bootId == null || msb != bootMsb || lsb != bootLsb) {
                bootMsb = msb;
                bootLsb = lsb;
                bootId = new UUID(msb, lsb);
            }
            return new Frame(Short.toUnsignedInt((short) SHORT.get(buf, off + 16)), buf[off + 18] & 0xFF,
                    (buf[off + 19] & FLAG_COMPRESSED) != 0, (int) INT.get(buf, off + 20), (int) INT.get(buf, off + 24),
                    (int) INT.get(buf, off + 28), (buf[off + 19] & FLAG_LAST_PART) != 0,
                    (long) LONG.get(buf, off + 32), (long) LONG.get(buf, off + 40), (long) LONG.get(buf, off + 48),
                    bootId, host, jvm, off + h, (int) INT.get(buf, off + 8));
        }
    }

    /** A decoded frame: header fields and where the payload sits in the buffer it was decoded from. */
    public record Frame(int typeCode, int reasonCode, boolean compressed, int part, int count, int revision,
                        boolean lastPart, long id, long timeMillis, long pid, UUID bootId, String host, String jvm,
                        int payloadOffset, int payloadLength) {
    }
}
