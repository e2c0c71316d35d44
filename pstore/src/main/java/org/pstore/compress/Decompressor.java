package org.pstore.compress;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Reader side: inflates a stored payload, bounded so a damaged or hostile payload cannot exhaust memory. */
public final class Decompressor {
    /** Payloads never inflate past this (a dump part is at most a few tens of KiB of text). */
    public static final int MAX_INFLATED = 16 << 20;

    private Decompressor() {
    }

    /** Returned by {@link #inflate(byte[], int, int, int)} when the payload inflates past the limit it was given. */
    public static final byte[] OVER_LIMIT = new byte[0];

    /** The inflated bytes, or null when the payload does not decompress (the caller shows it raw, flagged). */
    public static byte[] inflate(byte[] in, int off, int len) {
        byte[] out = inflate(in, off, len, MAX_INFLATED);
        return out == OVER_LIMIT ? null : out;
    }

    /**
     * The inflated bytes; null when the payload does not decompress; {@link #OVER_LIMIT} when it would inflate
     * past {@code limit} bytes (inflating stops there: no more than {@code limit} is ever held).
     */
    public static byte[] inflate(byte[] in, int off, int len, int limit) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, Math.min(limit, len * 4)));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                if (out.size() + n > limit) {
                    return OVER_LIMIT;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
