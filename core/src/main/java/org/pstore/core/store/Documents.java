package org.pstore.core.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.DocumentContext;

/** Reading a Chronicle document's raw bytes into a caller's buffer, for every log built on Chronicle here. */
public final class Documents {
    private Documents() {
    }

    /** Copies the document's bytes into {@code scratch[0]}, growing it when too small; returns the size. */
    public static int copy(DocumentContext dc, byte[][] scratch) {
        Bytes<?> bytes = dc.wire().bytes();
        int size = (int) Math.min(Integer.MAX_VALUE - 8, bytes.readRemaining());
        if (scratch[0].length < size) {
            scratch[0] = new byte[Math.max(size, scratch[0].length * 2)];
        }
        bytes.read(scratch[0], 0, size);
        return size;
    }
}
