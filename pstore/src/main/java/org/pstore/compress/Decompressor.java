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

    /** The inflated bytes, or null when the payload does not decompress (the caller shows it raw, flagged). */
    public static byte[] inflate(byte[] in, int off, int len) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, len * 4));
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(chunk, 0, n);
                if (out.size() > MAX_INFLATED) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
