package org.pstore.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Chronicle's queue metadata file ({@code metadata.cq4t}), checked directly before Chronicle opens it. Chronicle
 * retries a file it cannot parse for ten seconds and then fails ("Unable to claim exclusive shared lock"), and
 * spins on a lock word that a dead writer (or a flipped bit) left set; everything the file holds can be rebuilt,
 * so a file that does not validate is quarantined and Chronicle starts a fresh one.
 *
 * <p>The layout: a metadata document holding the table store's header ("STStore"), then one document per
 * value: an event name ({@code 0xB9}, length, ASCII), padding ({@code 0x8F}, or {@code 0x8E} and a 32-bit
 * count), {@code 0xA7} and a little-endian 64-bit value, 8-byte aligned.
 */
final class MetadataFile {
    static final String WRITE_LOCK = "chronicle.write.lock";
    static final String APPEND_LOCK = "chronicle.append.lock";
    static final long UNLOCKED = Long.MIN_VALUE;
    private static final int MAX_SIZE = 1 << 20;
    private static final int EVENT_NAME = 0xB9;
    private static final int PADDING = 0x8F;
    private static final int PADDING32 = 0x8E;
    private static final int INT64 = 0xA7;
    private static final byte[] SIGNATURE = "STStore".getBytes(StandardCharsets.US_ASCII);

    /** One named value and where its 8 bytes sit in the file. */
    record Value(String key, long offset, long value) {
    }

    /** The values, or why the file does not validate. */
    record Check(String problem, List<Value> values) {
        boolean valid() {
            return problem == null;
        }
    }

    private MetadataFile() {
    }

    static Check check(Path file) {
        byte[] b;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return new Check("not a regular file", List.of());
            }
            long size = Files.size(file);
            if (size > MAX_SIZE) {
                return new Check(size + " bytes, more than a metadata file holds", List.of());
            }
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Check("unreadable: " + e.getMessage(), List.of());
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int first = b.length >= 4 ? buf.getInt(0) : 0;
        int length = first & CycleFile.LENGTH_MASK;
        if ((first & (CycleFile.NOT_COMPLETE | CycleFile.META_DATA)) != CycleFile.META_DATA || 4L + length > b.length
                || !contains(b, 4, Math.min(length, 64), SIGNATURE)) {
            return new Check("not a metadata file: its first header is " + Integer.toHexString(first), List.of());
        }
        if ((first & CycleFile.NOT_COMPLETE) != 0 || !StoreHeader.matchesMetadata(b, 4, length)) {
            return new Check("not a metadata file: its header was damaged", List.of());
        }
        List<Value> values = new ArrayList<>();
        for (int at = (int) CycleFile.align(4L + length); at + 4 <= b.length; ) {
            int h = buf.getInt(at);
            if (h == 0) {
                return new Check(null, values);
            }
            int len = h & CycleFile.LENGTH_MASK;
            if ((h & CycleFile.NOT_COMPLETE) != 0 || (long) at + 4 + len > b.length) {
                return new Check("damaged header " + Integer.toHexString(h) + " at " + at, values);
            }
            if ((h & CycleFile.META_DATA) == 0) {
                Value v = value(b, at + 4, len);
                if (v == null) {
                    return new Check("damaged value at " + at, values);
                }
                values.add(v);
            }
            at = (int) CycleFile.align((long) at + 4 + len);
        }
        return new Check(null, values);
    }

    /** Parses one value document's body, or null when it is not one. */
    private static Value value(byte[] b, int start, int length) {
        int end = start + length;
        int at = start;
        if (length < 11 || (b[at++] & 0xFF) != EVENT_NAME) {
            return null;
        }
        int n = b[at++] & 0xFF;
        if (n == 0 || n > 63 || at + n > end) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            int c = b[at + i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_')) {
                return null;
            }
        }
        String key = new String(b, at, n, StandardCharsets.US_ASCII);
        at += n;
        while (at < end && ((b[at] & 0xFF) == PADDING || (b[at] & 0xFF) == PADDING32)) {
            if ((b[at] & 0xFF) == PADDING) {
                at++;
            } else {
                if (at + 5 > end) {
                    return null;
                }
                int skip = ByteBuffer.wrap(b, at + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (skip < 0 || skip > end - at - 5) {
                    return null;
                }
                at += 5 + skip;
            }
        }
        if (at + 9 > end || (b[at] & 0xFF) != INT64 || ((at + 1) & 7) != 0) {
            return null;
        }
        long value = ByteBuffer.wrap(b, at + 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = at + 9; i < end; i++) {
            if (b[i] != 0 && (b[i] & 0xFF) != PADDING) {
                return null;
            }
        }
        return new Value(key, at + 1, value);
    }

    /** Writes one value in place (the writer alone, holding the store's process lock). */
    static void write(Path file, long offset, long value) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
            ch.force(false);
        }
    }

    private static boolean contains(byte[] hay, int from, int length, byte[] needle) {
        for (int i = from; i + needle.length <= from + length && i + needle.length <= hay.length; i++) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
