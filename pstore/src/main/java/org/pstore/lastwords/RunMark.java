package org.pstore.lastwords;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import org.pstore.core.store.StoreFiles;

/**
 * The file {@code lastwords} of a store: the writer's current boot leaves in it its start mark (written once at
 * boot), its heartbeat (the last sign of life, written in place) and, on an orderly exit, its end mark. Mapped,
 * so what was written survives the death of the process (not a power loss: no flush). Fixed size; every field
 * is read back bounded and the start mark's text carries its own CRC.
 *
 * <pre>
 * offset size  field (little-endian)
 *  0     4     magic "PSLW"          4  4  version (1)
 *  8     8     boot number          16  8  pid
 * 24     8     start, ms since the epoch
 * 32     8     heartbeat: last sign of life, ms since the epoch
 * 40     8     heap used at the heartbeat, bytes     48  8  heap max, bytes
 * 56     8     end mark: time of the orderly exit (0: none)
 * 64     4     how it exited ({@link Exit})          68  4  exit status (-1: unknown)
 * 72     4     start mark text length T             76  4  CRC32C of the text
 * 80     T     the start mark: key=value lines, UTF-8
 * </pre>
 */
public final class RunMark implements AutoCloseable {
    public static final String FILE = "lastwords";
    public static final int SIZE = 16 << 10;
    static final int MAGIC = 0x574c5350;
    static final int VERSION = 1;
    static final int TEXT_AT = 80;
    public static final int MAX_TEXT = SIZE - TEXT_AT;
    private static final int BEAT = 32;
    private static final int HEAP_USED = 40;
    private static final int HEAP_MAX = 48;
    private static final int END = 56;
    private static final int EXIT = 64;
    private static final int STATUS = 68;

    private final FileChannel channel;
    private final MappedByteBuffer map;

    private RunMark(FileChannel channel, MappedByteBuffer map) {
        this.channel = channel;
        this.map = map;
    }

    /** Replaces the file with a fresh one for boot {@code boot}, carrying {@code start}, and maps it for the heartbeat. */
    public static RunMark begin(Path dir, long boot, long pid, long startMillis, StartMark start) throws IOException {
        byte[] text = start.text().getBytes(StandardCharsets.UTF_8);
        if (text.length > MAX_TEXT) {
            throw new IOException("start mark of " + text.length + " bytes is larger than " + MAX_TEXT);
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, boot).putLong(16, pid).putLong(24, startMillis)
                .putLong(BEAT, startMillis).putInt(STATUS, -1).putInt(72, text.length);
        CRC32C crc = new CRC32C();
        crc.update(text);
        b.putInt(76, (int) crc.getValue());
        b.put(TEXT_AT, text);
        Path file = dir.resolve(FILE);
        StoreFiles.replaceDurably(file, b.array());
        FileChannel ch = StoreFiles.openRegular(file, SIZE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            map.order(ByteOrder.LITTLE_ENDIAN);
            return new RunMark(ch, map);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The last sign of life, written in place. Allocation-free. */
    public void beat(long nowMillis, long heapUsed, long heapMax) {
        map.putLong(HEAP_USED, heapUsed);
        map.putLong(HEAP_MAX, heapMax);
        map.putLong(BEAT, nowMillis);
    }

    /** The end mark of an orderly exit. */
    public void end(long nowMillis, Exit how, int status) {
        map.putInt(EXIT, how.code);
        map.putInt(STATUS, status);
        map.putLong(BEAT, nowMillis);
        map.putLong(END, nowMillis);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the mapping stays valid until it is collected; nothing is lost
        }
    }

    /**
     * What the file in {@code dir} says, or null when there is none, or it is not what it claims: not a regular
     * file of its own (a link, a FIFO), of another size, a bad magic, version or text CRC. Never follows a link.
     */
    public static Read read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = StoreFiles.readBounded(file, SIZE);
        } catch (IOException e) {
            return null;
        }
        return parse(bytes);
    }

    static Read parse(byte[] bytes) {
        if (bytes.length != SIZE) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = b.getInt(72);
        if (b.getInt(0) != MAGIC || b.getInt(4) != VERSION || length < 0 || length > MAX_TEXT) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, TEXT_AT, length);
        if ((int) crc.getValue() != b.getInt(76)) {
            return null;
        }
        StartMark start = StartMark.parse(new String(bytes, TEXT_AT, length, StandardCharsets.UTF_8));
        return new Read(b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(BEAT), b.getLong(HEAP_USED), b.getLong(HEAP_MAX),
                b.getLong(END), Exit.ofCode(b.getInt(EXIT)), b.getInt(STATUS), start);
    }

    /** How an orderly exit came about, as far as a shutdown hook can tell. */
    public enum Exit {
        NONE(0, "none"),
        MAIN_RETURNED(1, "the last non-daemon thread ended (main returned)"),
        EXIT_CALLED(2, "System.exit or Runtime.exit"),
        SIGNAL(3, "a signal"),
        UNKNOWN(4, "shutdown hooks ran");

        final int code;
        final String description;

        Exit(int code, String description) {
            this.code = code;
            this.description = description;
        }

        public String description() {
            return description;
        }

        static Exit ofCode(int code) {
            for (Exit e : values()) {
                if (e.code == code) {
                    return e;
                }
            }
            return UNKNOWN;
        }
    }

    /** The file as read back. {@code endMillis} 0: no end mark. */
    public record Read(long boot, long pid, long startMillis, long beatMillis, long heapUsed, long heapMax, long endMillis,
                       Exit exit, int status, StartMark start) {
        public boolean ended() {
            return endMillis > 0;
        }
    }
}
