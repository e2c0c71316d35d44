package org.pstore.cli.otlp;

import java.util.ArrayList;
import java.util.List;

/**
 * One OTLP log record before it is written: its run, times, severity, event name, body (text, or bytes when
 * it is not text) and attributes.
 *
 * @param timeNanos   when it happened, nanoseconds since the epoch (0: unknown)
 * @param eventName   null for a plain log line
 * @param text        the body when it is text, else null
 * @param bytes       the body when it is not text, else null
 * @param attributes  what names the record
 * @param about       what is said about its content (exception.*): when the body is cut in pieces, the first
 *                    piece alone carries it
 * @param uid         a stable id of this record (log.record.uid): a consumer drops a second copy by it
 */
public record LogEntry(Run run, long timeNanos, Severity severity, String eventName, String text, byte[] bytes,
                       List<Attribute> attributes, List<Attribute> about, String uid) {

    /** The body's length in characters or bytes. */
    int bodyLength() {
        return text != null ? text.length() : bytes != null ? bytes.length : 0;
    }

    /** Piece {@code index} (1-based) of {@code count} of this record's body, from {@code from} to {@code to}. */
    LogEntry piece(int index, int count, int from, int to) {
        List<Attribute> a = new ArrayList<>(attributes);
        a.add(Attribute.of("pstore.chunk", index));
        a.add(Attribute.of("pstore.chunks", count));
        return new LogEntry(run, timeNanos, severity, eventName, text == null ? null : text.substring(from, to),
                bytes == null ? null : java.util.Arrays.copyOfRange(bytes, from, to), a, index == 1 ? about : List.of(),
                uid + ":" + index);
    }

    /**
     * Where to cut the body into {@code count} pieces of about the same size: text at a line end near each cut
     * when there is one, never inside a character (a surrogate pair).
     */
    int[] cuts(int count) {
        int n = bodyLength();
        int[] at = new int[count + 1];
        at[count] = n;
        for (int i = 1; i < count; i++) {
            int cut = (int) ((long) n * i / count);
            if (text != null) {
                int nl = text.lastIndexOf('\n', cut - 1);
                if (nl >= 0 && nl + 1 > at[i - 1] && cut - (nl + 1) < n / count / 4) {
                    cut = nl + 1;
                }
                if (cut > 0 && cut < n && Character.isHighSurrogate(text.charAt(cut - 1))) {
                    cut++;
                }
            }
            at[i] = Math.max(at[i - 1], Math.min(cut, n));
        }
        return at;
    }
}
