package org.pstore.core.store;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One Chronicle cycle file read directly, without Chronicle: mapped read-only and walked document by
 * document through the 4-byte headers that frame them. A header is read with acquire semantics (as
 * Chronicle's own readers do), so a document whose header says "complete" is complete. Every length is
 * bounded by the file's size at open, nothing waits, nothing is written, and neither the queue's metadata
 * file nor its lock is needed: this is how a reader reads a log, and how a writer checks a file before it
 * lets Chronicle near it. Once open, the file stays readable even if a writer deletes it.
 *
 * <p>The layout (Chronicle Queue 5, data format 1): a metadata document holding the store header
 * ("SCQStore"), then documents, each a little-endian header (bit 31 "not complete", bit 30 "metadata",
 * 30 bits of length) followed by its bytes, each header 4-byte aligned. Metadata documents (Chronicle's
 * index) are skipped. A zero header is where the writer appends next; {@code 0xC0000000} ends the file.
 */
public final class CycleFile implements AutoCloseable {
    static final int NOT_COMPLETE = 0x8000_0000;
    static final int META_DATA = 0x4000_0000;
    static final int LENGTH_MASK = 0x3FFF_FFFF;
    static final int END_OF_FILE = NOT_COMPLETE | META_DATA;
    /** A header written with "not complete" and no length: Chronicle's mark while it creates the file. */
    static final int CREATING = NOT_COMPLETE;
    /** Chronicle's own bound on the store header. */
    private static final int MAX_STORE_HEADER = 64 << 10;
    private static final byte[] STORE_SIGNATURE = "SCQStore".getBytes(StandardCharsets.US_ASCII);
    private static final long WINDOW = 1L << 28;
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** How the documents of a file end. */
    public enum End {
        /** A zero header: where the writer appends next (a torn append leaves one too). */
        OPEN,
        /** Chronicle's end-of-file mark: the writer rolled to the next file. */
        END_OF_FILE,
        /** A header marked "not complete": Chronicle waits on one before it writes past it. */
        NOT_COMPLETE,
        /** A length past the end of the file, or a store header that is not one: nothing after it can be read. */
        DAMAGED
    }

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer[] windows;
    private final long dataStart;
    private final String problem;

    private CycleFile(Path path, FileChannel channel, long size) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.windows = new MappedByteBuffer[(int) ((size + WINDOW - 1) / WINDOW)];
        int first = size >= 4 ? header(0) : 0;
        int length = first & LENGTH_MASK;
        boolean framed = length > 0 && length <= MAX_STORE_HEADER && 4L + length <= size;
        boolean signed = framed && contains(4, Math.min(length, 64), STORE_SIGNATURE);
        if (size < 4 || first == 0) {
            problem = "empty";
        } else if (first == CREATING) {
            problem = "never finished: its creation was cut short";
        } else if (!signed) {
            problem = "not a log file: its first header is " + Integer.toHexString(first);
        } else if ((first & (NOT_COMPLETE | META_DATA)) != META_DATA) {
            problem = "damaged store header " + Integer.toHexString(first); // flags flipped; the length still frames it
        } else if (!StoreHeader.matches(this, length)) {
            problem = "damaged store header"; // Chronicle would misread its fields; the documents are still framed
        } else {
            problem = null;
        }
        this.dataStart = signed ? align(4L + length) : -1;
    }

    /** Opens a cycle file for reading; a symbolic link or a special file is refused. */
    public static CycleFile open(Path file) throws IOException {
        if (!Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile()) {
            throw new IOException(file + " is not a regular file"); // a FIFO would block the open, a link lead elsewhere
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            return new CycleFile(file, channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Where the documents of the cycle file end, metadata included: where its writer appends next (0 when
     * there is no file, or nothing readable in it).
     */
    public static long documentsEnd(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (CycleFile c = open(file)) {
            if (c.unfinished() || !c.readable()) {
                return 0;
            }
            Cursor cursor = c.cursor();
            byte[][] scratch = {new byte[4096]};
            while (cursor.next(scratch) >= 0) {
                // to the end of the documents
            }
            return cursor.limit();
        } catch (IOException e) {
            return 0;
        }
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** What is wrong with the store header, or null. Documents can still be read when {@link #readable()}. */
    public String problem() {
        return problem;
    }

    /** Where the first document after the store header is (-1 when the store header does not frame one). */
    long dataStart() {
        return dataStart;
    }

    /** Whether the documents can be found: the store header frames them, even with damaged flags. */
    public boolean readable() {
        return dataStart >= 0;
    }

    /** Whether nothing was ever written in it: empty, or its creation cut short (no document can follow). */
    public boolean unfinished() {
        int first;
        try {
            first = size >= 4 ? header(0) : 0;
        } catch (IOException e) {
            return false;
        }
        return first == 0 || first == CREATING;
    }

    /** The header at {@code position} (0 past the end of the file), read with acquire semantics. */
    int header(long position) throws IOException {
        if (position < 0 || position + 4 > size || (position & 3) != 0) {
            return 0;
        }
        try {
            return (int) INT.getAcquire(window(position), (int) (position % WINDOW));
        } catch (InternalError e) { // the file shrank under the mapping
            throw new IOException(path + " changed while read: " + e.getMessage(), e);
        }
    }

    /** Copies {@code length} bytes at {@code position} (within the file) into {@code dst}. */
    void read(long position, byte[] dst, int offset, int length) throws IOException {
        try {
            while (length > 0) {
                ByteBuffer w = window(position).duplicate();
                int at = (int) (position % WINDOW);
                int n = Math.min(length, w.capacity() - at);
                w.position(at);
                w.get(dst, offset, n);
                position += n;
                offset += n;
                length -= n;
            }
        } catch (InternalError e) {
            throw new IOException(path + " changed while read: " + e.getMessage(), e);
        }
    }

    private MappedByteBuffer window(long position) throws IOException {
        int i = (int) (position / WINDOW);
        MappedByteBuffer w = windows[i];
        if (w == null) {
            long start = i * WINDOW;
            w = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(WINDOW, size - start));
            windows[i] = w;
        }
        return w;
    }

    private boolean contains(long position, int length, byte[] needle) throws IOException {
        byte[] hay = new byte[length];
        read(position, hay, 0, length);
        for (int i = 0; i + needle.length <= length; i++) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    static long align(long position) {
        return (position + 3) & ~3L;
    }

    /** A walk over the data documents from the first on. */
    public Cursor cursor() {
        return new Cursor(dataStart);
    }

    /** A walk over the data documents from the header at {@code position} on (a {@link Cursor#limit()}). */
    public Cursor cursor(long position) {
        return new Cursor(position);
    }

    /** Walks data documents in order, skipping metadata; one instance per walk. */
    public final class Cursor {
        private long next;
        private long position = -1;
        private End end;

        private Cursor(long start) {
            this.next = start;
            if (start < 0) {
                end = End.DAMAGED;
            }
        }

        /**
         * Copies the next data document into {@code scratch[0]} (grown as needed) and returns its length, or
         * -1 at the end of the documents ({@link #end()} says how they end). Call again later to see
         * documents appended meanwhile.
         */
        public int next(byte[][] scratch) throws IOException {
            if (end == End.DAMAGED || end == End.END_OF_FILE) {
                return -1;
            }
            end = null;
            while (true) {
                int h = header(next);
                if (h == 0) {
                    end = End.OPEN;
                    return -1;
                }
                if (h == END_OF_FILE) {
                    end = End.END_OF_FILE;
                    return -1;
                }
                if ((h & NOT_COMPLETE) != 0) {
                    end = End.NOT_COMPLETE;
                    return -1;
                }
                int length = h & LENGTH_MASK;
                if (next + 4 + length > size) {
                    end = End.DAMAGED;
                    return -1;
                }
                long at = next;
                next = align(next + 4 + length);
                if ((h & META_DATA) == 0) {
                    if (scratch[0].length < length) {
                        scratch[0] = new byte[Math.max(length, scratch[0].length * 2)];
                    }
                    read(at + 4, scratch[0], 0, length);
                    position = at;
                    return length;
                }
            }
        }

        /** Where the header of the document last returned sits (-1 before the first). */
        public long position() {
            return position;
        }

        /** Where the next header is looked for: past the documents read so far. */
        public long limit() {
            return next;
        }

        /** How the documents ended at the last {@link #next} that returned -1 (null before). */
        public End end() {
            return end;
        }
    }

    /** Reads the data document whose header is at {@code position}: its length, or -1 if there is none there. */
    public int document(long position, byte[][] scratch) throws IOException {
        int h = header(position);
        int length = h & LENGTH_MASK;
        if (h == 0 || (h & (NOT_COMPLETE | META_DATA)) != 0 || position < dataStart || position + 4 + length > size) {
            return -1;
        }
        if (scratch[0].length < length) {
            scratch[0] = new byte[Math.max(length, scratch[0].length * 2)];
        }
        read(position + 4, scratch[0], 0, length);
        return length;
    }

    @Override
    public void close() {
        try {
            for (int i = 0; i < windows.length; i++) {
                if (windows[i] != null) {
                    MappedByteBuffer w = windows[i];
                    windows[i] = null;
                    Unmapper.unmap(w);
                }
            }
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
    }
}
