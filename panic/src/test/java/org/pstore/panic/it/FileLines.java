package org.pstore.panic.it;

import java.io.FileOutputStream;
import java.io.IOException;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicEvent;

/**
 * Appends lines to a file without allocating (a preallocated byte buffer, one unbuffered write per line),
 * so the child's console and dumper work when its heap is exhausted and their lines survive a halt.
 */
final class FileLines {
    private final FileOutputStream out;
    private final byte[] buffer = new byte[16 * 1024];

    FileLines(String path) throws IOException {
        this.out = new FileOutputStream(path, true);
    }

    /** Writes the non-null parts as one line; chars beyond ASCII become '?'. */
    synchronized void line(CharSequence a, CharSequence b, CharSequence c, CharSequence d, CharSequence e) {
        int n = put(a, 0);
        n = put(b, n);
        n = put(c, n);
        n = put(d, n);
        n = put(e, n);
        buffer[Math.min(n, buffer.length - 1)] = '\n';
        try {
            out.write(buffer, 0, Math.min(n + 1, buffer.length));
        } catch (IOException ignored) {
            // the parent test sees the missing line
        }
    }

    /** "NAME REASON MESSAGE [EVENT-THREAD] on CURRENT-THREAD", without string concatenation. */
    synchronized void dump(String name, DumpReason reason, PanicEvent event) {
        int n = put(name, 0);
        n = put(" ", n);
        n = put(reason.word(), n);
        n = put(" ", n);
        n = put(event.message(), n);
        n = put(" [", n);
        n = put(event.thread().getName(), n);
        n = put("] on ", n);
        n = put(Thread.currentThread().getName(), n);
        buffer[n] = '\n';
        try {
            out.write(buffer, 0, n + 1);
        } catch (IOException ignored) {
            // the parent test sees the missing line
        }
    }

    void line(CharSequence text) {
        line(text, null, null, null, null);
    }

    private int put(CharSequence s, int at) {
        if (s == null) {
            return at;
        }
        int n = at;
        for (int i = 0; i < s.length() && n < buffer.length - 1; i++) {
            char ch = s.charAt(i);
            buffer[n++] = (byte) (ch < 0x80 ? ch : '?');
        }
        return n;
    }
}
