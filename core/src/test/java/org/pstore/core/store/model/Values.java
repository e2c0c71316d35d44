package org.pstore.core.store.model;

/**
 * The value an operation writes, derived from its sequence number and key alone: whoever reads it back
 * (the writer, a view, another process) can tell which operation wrote it and whether every byte is right.
 * The first eight bytes are the sequence number; the rest a stream seeded by it and the key.
 */
final class Values {
    static final int MIN_LENGTH = 8;

    private Values() {
    }

    static byte[] of(long seq, String key, int length) {
        byte[] v = new byte[length];
        for (int i = 0; i < 8; i++) {
            v[i] = (byte) (seq >>> (8 * i));
        }
        long s = seq * 0x9E3779B97F4A7C15L ^ key.hashCode();
        for (int i = 8; i < length; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            v[i] = (byte) (s >>> 56);
        }
        return v;
    }

    /** The sequence number a value carries, or -1 when it is too short to carry one. */
    static long seqOf(byte[] data, int offset, int length) {
        if (length < 8) {
            return -1;
        }
        long seq = 0;
        for (int i = 7; i >= 0; i--) {
            seq = seq << 8 | (data[offset + i] & 0xFF);
        }
        return seq;
    }

    /** Whether the bytes are exactly what operation {@code seq} wrote under {@code key}. */
    static boolean matches(long seq, String key, byte[] data, int offset, int length) {
        byte[] expected = of(seq, key, length);
        return java.util.Arrays.equals(expected, 0, length, data, offset, offset + length);
    }
}
