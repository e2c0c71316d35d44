package org.pstore.panic;

import java.io.PrintStream;

/**
 * A UTF-8 copy of the report as printed, in a preallocated array of {@code reportBytes}, so that the
 * report can be echoed to System.err after the dump without formatting it again.
 */
final class Transcript {
    private final byte[] bytes;
    private volatile int length;

    Transcript(int capacity) {
        this.bytes = new byte[capacity];
    }

    void clear() {
        length = 0;
    }

    void append(LineBuffer line) {
        int at = Utf8.encode(line.array(), line.length(), bytes, length);
        if (at < bytes.length) {
            bytes[at++] = '\n';
        }
        length = at;
    }

    int length() {
        return length;
    }

    /** Best effort: the stream's own lock and a full pipe are the risks the panic timer bounds. */
    void echo(PrintStream out) {
        if (out == null) {
            return;
        }
        try {
            out.write(bytes, 0, length);
            out.flush();
        } catch (Throwable ignored) {
            // the dump is already done: a lost echo costs nothing
        }
    }
}
