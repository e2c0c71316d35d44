package org.pstore.core;

/**
 * Caller-owned list of variable names to erase in one operation, kept as bytes (names are ASCII): what the
 * store writes as one erase entry instead of one delete entry per name. Reuse one instance; adding allocates
 * nothing.
 */
public final class NameBatch {
    /** Names one batch holds at most. */
    public static final int MAX_NAMES = 64;
    /** Each name is its length (one byte) and its bytes. */
    public static final int MAX_BYTES = MAX_NAMES * (1 + VariableNames.MAX_LENGTH);

    private final byte[] packed = new byte[MAX_BYTES];
    private int length;
    private int count;

    public NameBatch clear() {
        length = 0;
        count = 0;
        return this;
    }

    /** Adds a well-formed name; false (nothing added) when the batch is full or the name is not one. */
    public boolean add(CharSequence name) {
        if (count == MAX_NAMES || !VariableNames.valid(name)) {
            return false;
        }
        int n = name.length();
        packed[length] = (byte) n;
        for (int i = 0; i < n; i++) {
            packed[length + 1 + i] = (byte) name.charAt(i);
        }
        length += 1 + n;
        count++;
        return true;
    }

    public int count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The names, each as a length byte then its ASCII bytes. */
    public byte[] packed() {
        return packed;
    }

    public int packedLength() {
        return length;
    }

    /** For ops tables that hand a batch across threads. */
    public void copyFrom(NameBatch other) {
        System.arraycopy(other.packed, 0, packed, 0, other.length);
        length = other.length;
        count = other.count;
    }

    /** The {@code i}th name (tests and messages: allocates). */
    public String name(int i) {
        int at = 0;
        for (int k = 0; k < i; k++) {
            at += 1 + (packed[at] & 0xff);
        }
        return new String(packed, at + 1, packed[at] & 0xff, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
