package org.pstore.core.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

/** Reading a Chronicle document's raw bytes into a caller's buffer, for every log built on Chronicle here. */
public final class Documents {
    private Documents() {
    }

    /**
     * No document pstore writes comes near this (an entry holds at most a 1 MiB record); a header that claims
     * more is cut here, so the copy fails validation and is skipped, and a crafted file cannot make a reader
     * allocate what it claims.
     */
    public static final int MAX_DOCUMENT = 64 << 20;

    /** Copies the document's bytes (at most {@link #MAX_DOCUMENT}) into {@code scratch[0]}, growing it when too small; returns the size. */
    public static int copy(DocumentContext dc, byte[][] scratch) {
        Bytes<?> bytes = dc.wire().bytes();
        int size = (int) Math.min(MAX_DOCUMENT, bytes.readRemaining());
        if (scratch[0].length < size) {
            scratch[0] = new byte[Math.min(MAX_DOCUMENT, Math.max(size, scratch[0].length * 2))];
        }
        bytes.read(scratch[0], 0, size);
        return size;
    }
}
