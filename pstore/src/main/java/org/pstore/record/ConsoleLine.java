package org.pstore.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One entry of the console journal, an ABI like the record frame but lighter: a batch of captured lines.
 *
 * <pre>
 *  0  8  boot number
 *  8  8  time the batch was written, milliseconds since the epoch
 * 16  4  CRC32C of bytes [0,16) and of the text
 * 20  n  the lines, UTF-8, as captured (each with its uptime prefix), each ending in '\n'
 * </pre>
 */
public final class ConsoleLine {
    public static final int HEADER = 20;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private ConsoleLine() {
    }

    /** Seals a line whose text the caller placed at {@link #HEADER}; returns the entry's length. */
    public static int seal(byte[] buf, long boot, long timeMillis, int textLength, CRC32C crc) {
        LONG.set(buf, 0, boot);
        LONG.set(buf, 8, timeMillis);
        crc.reset();
        crc.update(buf, 0, 16);
        crc.update(buf, HEADER, textLength);
        INT.set(buf, 16, (int) crc.getValue());
        return HEADER + textLength;
    }

    public static boolean valid(byte[] buf, int length, CRC32C crc) {
        if (length < HEADER) {
            return false;
        }
        crc.reset();
        crc.update(buf, 0, 16);
        crc.update(buf, HEADER, length - HEADER);
        return (int) crc.getValue() == (int) INT.get(buf, 16);
    }

    public static long boot(byte[] buf) {
        return (long) LONG.get(buf, 0);
    }

    public static long time(byte[] buf) {
        return (long) LONG.get(buf, 8);
    }

    /** The entry's CRC32C as stored: with its boot and time, it tells one entry from another. */
    public static int checksum(byte[] buf) {
        return (int) INT.get(buf, 16);
    }
}
