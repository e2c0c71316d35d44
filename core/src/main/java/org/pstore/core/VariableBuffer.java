package org.pstore.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Caller-owned output of {@link VariableOps#get}: the data and attributes of one variable. Reuse one
 * instance; it grows when a variable does not fit, so size it at boot for paths that must not allocate.
 */
public final class VariableBuffer {
    private byte[] data;
    private int length;
    private int attributes;

    public VariableBuffer(int initialCapacity) {
        this.data = new byte[initialCapacity];
    }

    public byte[] data() {
        return data;
    }

    public int length() {
        return length;
    }

    public int attributes() {
        return attributes;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    public String toUtf8() {
        return new String(data, 0, length, StandardCharsets.UTF_8);
    }

    /**
     * For stores: returns an array of at least {@code capacity} bytes to fill, and records the length and
     * attributes that {@link #length()} and {@link #attributes()} then report.
     */
    public byte[] prepare(int capacity, int length, int attributes) {
        if (data.length < capacity) {
            data = new byte[Math.max(capacity, data.length * 2)];
        }
        this.length = length;
        this.attributes = attributes;
        return data;
    }

    /** For ops tables that hand a result across threads. */
    public void copyFrom(byte[] source, int length, int attributes) {
        System.arraycopy(source, 0, prepare(length, length, attributes), 0, length);
    }
}
