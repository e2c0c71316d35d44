package org.pstore.core.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of one log entry: an ABI. Never change a field's meaning; add a version instead.
 *
 * <pre>
 * offset size  field (little-endian)
 *  0     4     magic 0x31565350 ("PSV1")
 *  4     1     version (1)
 *  5     1     kind: 1 set, 2 delete, 3 snapshot begin, 4 snapshot end, 5 open mark, 6 pad, 7 erase, 8 sealed set
 *  6     2     name length in bytes (ASCII)
 *  8     4     attributes
 * 12     4     data length
 * 16     8     namespace id, most significant half
 * 24     8     namespace id, least significant half
 * 32     n     name
 * 32+n   d     data
 * 32+n+d 4     CRC32C of every byte before it (of a sealed set: of the header and name only)
 * </pre>
 *
 * A snapshot begin entry carries the generation it supersedes in its attributes; a snapshot end carries the
 * number of variables copied (or -1: abandoned). An open mark is written once per writer open and changes
 * nothing; nor does a pad (see {@link VariableStore}: it keeps Chronicle's indexed positions away from
 * crash-time writes). Markers have empty names and data. An erase deletes several variables of its namespace at
 * once: empty name, the number of names in its attributes, and as data each name as one length byte (1 to 128)
 * followed by its ASCII bytes (older versions of this code skip it as a damaged entry). A sealed set is a set
 * whose data checks itself (a record frame, sealed with its own CRC32C): its checksum covers the header and
 * the name, so that the data is checksummed once, not twice; it reads as a set (older versions skip it).
 */
final class EntryFormat {
    static final int MAGIC = 0x31565350;
    static final int VERSION = 1;
    static final int HEADER = 32;
    static final int TRAILER = 4;
    /** Bytes an entry costs beyond its name and data, including the log's own 4-byte excerpt header. */
    static final int OVERHEAD = HEADER + TRAILER + 4;

    static final byte SET = 1;
    static final byte DELETE = 2;
    static final byte SNAPSHOT_BEGIN = 3;
    static final byte SNAPSHOT_END = 4;
    static final byte OPEN_MARK = 5;
    static final byte PAD = 6;
    static final byte ERASE = 7;
    static final byte SEALED_SET = 8;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private EntryFormat() {
    }

    static int size(int nameLength, int dataLength) {
        return HEADER + nameLength + dataLength + TRAILER;
    }

    /** What the entry costs in the log, for space accounting. */
    static long cost(int nameLength, int dataLength) {
        return (long) size(nameLength, dataLength) + 4;
    }

    /** Encodes an entry into {@code buf} (which must be large enough) and returns its size. Allocation-free. */
    static int encode(byte[] buf, byte kind, long nsMsb, long nsLsb, CharSequence name, int attributes,
                      byte[] data, int offset, int length, CRC32C crc) {
        int nameLength = name.length();
        for (int i = 0; i < nameLength; i++) {
            buf[HEADER + i] = (byte) name.charAt(i);
        }
        header(buf, kind, nsMsb, nsLsb, nameLength, attributes, length);
        if (length > 0) {
            System.arraycopy(data, offset, buf, HEADER + nameLength, length);
        }
        int end = HEADER + nameLength + length;
        crc.reset();
        crc.update(buf, 0, end);
        INT.set(buf, end, (int) crc.getValue());
        return end + TRAILER;
    }

    /**
     * Encodes an entry's header and name (ASCII bytes {@code name[0, nameLength)}) into {@code buf}, and its
     * trailer right after them: the entry in parts, for the log to write around {@code data} in place (no copy
     * of the data here; a delete has none, and is then whole in {@code buf}). A {@link #SEALED_SET}'s data
     * checks itself, and its trailer covers header and name only. Returns the length of header and name; the
     * trailer follows it in {@code buf}. Allocation-free.
     */
    static int encodeHead(byte[] buf, byte kind, long nsMsb, long nsLsb, byte[] name, int nameLength, int attributes,
                          byte[] data, int offset, int length, CRC32C crc) {
        System.arraycopy(name, 0, buf, HEADER, nameLength);
        header(buf, kind, nsMsb, nsLsb, nameLength, attributes, length);
        int head = HEADER + nameLength;
        crc.reset();
        crc.update(buf, 0, head);
        if (kind != SEALED_SET && length > 0) {
            crc.update(data, offset, length);
        }
        INT.set(buf, head, (int) crc.getValue());
        return head;
    }

    private static void header(byte[] buf, byte kind, long nsMsb, long nsLsb, int nameLength, int attributes, int length) {
        INT.set(buf, 0, MAGIC);
        buf[4] = VERSION;
        buf[5] = kind;
        SHORT.set(buf, 6, (short) nameLength);
        INT.set(buf, 8, attributes);
        INT.set(buf, 12, length);
        LONG.set(buf, 16, nsMsb);
        LONG.set(buf, 24, nsLsb);
    }

    /** A marker entry (snapshot begin/end) with no name and no data. */
    static int encodeMarker(byte[] buf, byte kind, int value, CRC32C crc) {
        return encode(buf, kind, 0, 0, "", value, buf, 0, 0, crc);
    }

    /**
     * Checks magic, version, lengths and checksum of an entry of {@code size} bytes. Returns its kind (a
     * sealed set's is {@link #SET}: its data is the caller's to check), or 0 when the entry is not valid.
     */
    static byte validate(byte[] buf, int size, CRC32C crc) {
        if (size < HEADER + TRAILER || (int) INT.get(buf, 0) != MAGIC || buf[4] != VERSION) {
            return 0;
        }
        byte kind = buf[5];
        if (kind < SET || kind > SEALED_SET) {
            return 0;
        }
        int nameLength = nameLength(buf);
        int dataLength = dataLength(buf);
        if (nameLength < 0 || dataLength < 0 || size(nameLength, dataLength) != size) {
            return 0;
        }
        int end = size - TRAILER;
        crc.reset();
        crc.update(buf, 0, kind == SEALED_SET ? HEADER + nameLength : end);
        if ((int) crc.getValue() != (int) INT.get(buf, end)) {
            return 0;
        }
        return kind == SEALED_SET ? SET : kind;
    }

    static int nameLength(byte[] buf) {
        return Short.toUnsignedInt((short) SHORT.get(buf, 6));
    }

    static int attributes(byte[] buf) {
        return (int) INT.get(buf, 8);
    }

    static int dataLength(byte[] buf) {
        return (int) INT.get(buf, 12);
    }

    static long nsMsb(byte[] buf) {
        return (long) LONG.get(buf, 16);
    }

    static long nsLsb(byte[] buf) {
        return (long) LONG.get(buf, 24);
    }

    static int dataOffset(byte[] buf) {
        return HEADER + nameLength(buf);
    }
}
