package org.pstore.backend;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.store.Quarantine;
import org.pstore.core.store.StoreFiles;
import org.pstore.core.store.Unmapper;
import org.pstore.record.RecordFormat;

/**
 * The reserved panic area: a small file of fixed slots, memory-mapped and touched at boot, that only
 * crash-time writers use — when the store lock is held by a stuck worker, or the store fails. Each writer
 * claims its own slot with one atomic increment, so no two ever share one, and writing is a copy into
 * mapped memory: no lock, no allocation, nothing to wait for. Linux drops the record in this situation;
 * we keep it. The page cache keeps it after the process dies.
 *
 * <pre>
 * file:  header (4096 bytes): magic "PSPA", version 1, slot size, slot count (u32 each, little-endian)
 *        slot * count
 * slot:  u64 state (0 = free, otherwise the record id, written last), u32 frame length, u32 reserved, frame
 * </pre>
 */
public final class PanicArea implements AutoCloseable {
    public static final String FILE = "panic.area";
    /** How the quarantine names an area moved into it. */
    static final String ORIGIN = "panic";
    static final int MAGIC = 0x41505350;
    static final int VERSION = 1;
    static final int HEADER = 4096;
    static final int SLOT_HEADER = 16;
    /** The largest slot any configuration makes (a 1 MiB record and its header), rounded to pages. */
    static final int MAX_SLOT_SIZE = (RecordFormat.MAX_HEADER + (1 << 20) + SLOT_HEADER + 4095) / 4096 * 4096;
    static final int MAX_SLOTS = 4096;
    /** No area is larger: a header that claims more is not believed, a file that is larger is not read. */
    public static final long MAX_BYTES = 64L << 20;

    private final Path file;
    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final int slotSize;
    private final int slotCount;
    private final Durability durability;
    private final AtomicInteger claim;

    private PanicArea(Path file, FileChannel channel, MappedByteBuffer map, int slotSize, int slotCount, Durability durability) {
        this.file = file;
        this.channel = channel;
        this.map = map;
        this.slotSize = slotSize;
        this.slotCount = slotCount;
        this.durability = durability;
        this.claim = new AtomicInteger(firstFree());
    }

    /**
     * Opens or creates the area for writing (the caller holds the store's writer lock). An existing area is
     * used only when it is exactly what this configuration makes (slot size, slot count, file size) and a
     * regular file: anything else (a crafted header, a file grown past its size, a link, a FIFO) is moved
     * aside, records and all, for the reader, and a new one made: boot never maps what a header claims.
     */
    public static PanicArea openWritable(Path dir, int frameSize, int slots, Durability durability) {
        return openWritable(dir, frameSize, slots, durability, new java.util.ArrayList<>());
    }

    /** As above; an area moved aside goes into the store's quarantine, and {@code healed} is told. */
    public static PanicArea openWritable(Path dir, int frameSize, int slots, Durability durability, List<String> healed) {
        Path file = dir.resolve(FILE);
        int slotSize = roundUp(frameSize + SLOT_HEADER, 4096);
        long size = HEADER + (long) slotSize * slots;
        if (slotSize > MAX_SLOT_SIZE || slots < 1 || slots > MAX_SLOTS || size > MAX_BYTES) {
            throw new StoreException(Status.INVALID, "a panic area of " + slots + " slots of " + slotSize + " bytes is larger than "
                    + MAX_BYTES + " bytes");
        }
        try {
            FileChannel ch = reuse(file, slotSize, slots, size);
            if (ch == null) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    Quarantine.Entry moved = new Quarantine(dir.resolve(Quarantine.DIR), Quarantine.DEFAULT_BOUND)
                            .add(file, ORIGIN, "not the panic area this configuration makes (header, size or file type)");
                    healed.add("panic area " + moved);
                }
                ch = StoreFiles.createNew(file).position(0);
                ch.close();
                ch = StoreFiles.openRegular(file, MAX_BYTES, StandardOpenOption.READ, StandardOpenOption.WRITE);
                backWithBlocks(ch, size);
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            Unmapper.prime(ch); // the Reference Handler's first unmapping could come in a full heap
            map.order(ByteOrder.LITTLE_ENDIAN);
            map.putInt(0, MAGIC).putInt(4, VERSION).putInt(8, slotSize).putInt(12, slots);
            PanicArea area = new PanicArea(file, ch, map, slotSize, slots, durability);
            area.pretouch();
            return area;
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot prepare the panic area " + file + ": " + e.getMessage(), e);
        }
    }

    /** The existing area opened for writing when it is exactly the geometry wanted; null when it must be replaced. */
    private static FileChannel reuse(Path file, int slotSize, int slots, long size) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            FileChannel ch = StoreFiles.openRegular(file, size, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Geometry g = Geometry.of(ch);
            if (g != null && g.slotSize == slotSize && g.slotCount == slots && ch.size() == size) {
                return ch;
            }
            ch.close();
            return null;
        } catch (StoreFiles.NotRegularFileException e) {
            return null; // not a regular file, or too large: moved aside, never opened
        }
    }

    private static int roundUp(int n, int to) {
        return (n + to - 1) / to * to;
    }

    /**
     * Zeros over the whole new area, written with write(2): its pages then have blocks, and a full filesystem
     * is an IOException here, never a SIGBUS when the map is touched (at boot, or by the crash-time write).
     */
    private static void backWithBlocks(FileChannel ch, long size) throws IOException {
        java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(64 << 10);
        for (long at = 0; at < size; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            at += ch.write(zeros, at);
        }
    }

    /** Faults every page in now, so a crash-time write copies into memory that is already mapped. */
    private void pretouch() {
        for (int at = 0; at < map.capacity(); at += 4096) {
            map.put(at, map.get(at));
        }
    }

    private int firstFree() {
        for (int i = 0; i < slotCount; i++) {
            if (map.getLong(slotOffset(i)) == 0) {
                return i;
            }
        }
        return oldest();
    }

    private int oldest() {
        int oldest = 0;
        for (int i = 1; i < slotCount; i++) {
            if (Long.compareUnsigned(map.getLong(slotOffset(i)), map.getLong(slotOffset(oldest))) < 0) {
                oldest = i;
            }
        }
        return oldest;
    }

    private int slotOffset(int slot) {
        return HEADER + slot * slotSize;
    }

    /** The largest frame a slot holds. */
    public int maxFrame() {
        return slotSize - SLOT_HEADER;
    }

    /**
     * Writes a sealed frame into the next slot (the oldest is overwritten when all are used). Returns false
     * when the frame is larger than a slot. Allocation-free, lock-free, never waits.
     */
    public boolean write(long id, byte[] frame, int length) {
        if (length > maxFrame()) {
            return false;
        }
        int slot = Math.floorMod(claim.getAndIncrement(), slotCount);
        int at = slotOffset(slot);
        map.putLong(at, 0);
        map.putInt(at + 8, length);
        map.put(at + SLOT_HEADER, frame, 0, length);
        map.putLong(at, id);
        if (durability == Durability.POWER) {
            map.force(at, slotSize);
        }
        return true;
    }

    /** Frees the slot holding {@code id}; NOT_FOUND when no slot does. */
    public Status erase(long id) {
        for (int i = 0; i < slotCount; i++) {
            int at = slotOffset(i);
            if (map.getLong(at) == id) {
                map.putLong(at, 0);
                map.putInt(at + 8, 0);
                return Status.OK;
            }
        }
        return Status.NOT_FOUND;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the mapping stays valid until collected; nothing to flush beyond the page cache
        }
    }

    /** A record frame found in an area file. */
    public record Stored(Path file, int slot, long id, byte[] frame) {
    }

    /**
     * Reads every occupied slot of every area file in {@code dir} (the current one and any moved aside), one
     * frame at a time: each file is checked first (a regular file, not a link, no larger than an area can be,
     * its size what its header says), and nothing is allocated beyond one slot's frame, bounded by the file.
     */
    public static void read(Path dir, Consumer<Stored> found, Consumer<String> problems) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().startsWith(FILE)).sorted().toList();
        } catch (IOException e) {
            problems.accept("panic area unreadable: " + e.getMessage());
            return;
        }
        read(files, found, problems);
    }

    /** As {@link #read(Path, Consumer, Consumer)}, for the area files given (e.g. those in the quarantine). */
    public static void read(List<Path> files, Consumer<Stored> found, Consumer<String> problems) {
        for (Path f : files) {
            try (FileChannel ch = StoreFiles.openRegular(f, MAX_BYTES, StandardOpenOption.READ)) {
                Geometry g = Geometry.of(ch);
                if (g == null) {
                    problems.accept("panic area " + f.getFileName() + ": no valid header; not read");
                    continue;
                }
                if (ch.size() != g.fileSize()) {
                    problems.accept("panic area " + f.getFileName() + ": " + ch.size() + " bytes where its header says "
                            + g.fileSize() + "; not read");
                    continue;
                }
                for (int i = 0; i < g.slotCount; i++) {
                    byte[] frame = frame(ch, g, i, 0);
                    if (frame != null) {
                        found.accept(new Stored(f, i, slotId(ch, g, i), frame));
                    }
                }
            } catch (StoreFiles.NotRegularFileException e) {
                problems.accept("panic area " + e.getMessage());
            } catch (IOException e) {
                problems.accept("panic area " + f.getFileName() + " unreadable: " + e.getMessage());
            }
        }
    }

    /** The frame in {@code slot} of area file {@code f} when it holds record {@code id}; null otherwise. */
    public static byte[] read(Path f, int slot, long id) throws IOException {
        try (FileChannel ch = StoreFiles.openRegular(f, MAX_BYTES, StandardOpenOption.READ)) {
            Geometry g = Geometry.of(ch);
            if (g == null || slot < 0 || slot >= g.slotCount || ch.size() != g.fileSize()) {
                return null;
            }
            return frame(ch, g, slot, id);
        }
    }

    private static long slotId(FileChannel ch, Geometry g, int slot) throws IOException {
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(head, HEADER + (long) slot * g.slotSize);
        return head.getLong(0);
    }

    /** The frame of an occupied slot (of record {@code id}, unless 0), its length checked against the slot first. */
    private static byte[] frame(FileChannel ch, Geometry g, int slot, long id) throws IOException {
        long at = HEADER + (long) slot * g.slotSize;
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(SLOT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        if (ch.read(head, at) != SLOT_HEADER) {
            return null;
        }
        long state = head.getLong(0);
        int length = head.getInt(8);
        if (state == 0 || (id != 0 && state != id) || length <= 0 || length > g.slotSize - SLOT_HEADER) {
            return null;
        }
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(length);
        while (frame.hasRemaining() && ch.read(frame, at + SLOT_HEADER + frame.position()) > 0) {
            // the slot lies inside the file, checked: reads complete
        }
        return frame.hasRemaining() ? null : frame.array();
    }

    /** Frees a slot of an area file from outside (the reader's erase; the caller holds the writer lock). */
    public static Status erase(Path f, int slot, long id) throws IOException {
        try (FileChannel ch = StoreFiles.openRegular(f, MAX_BYTES, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Geometry g = Geometry.of(ch);
            if (g == null || slot >= g.slotCount) {
                return Status.NOT_FOUND;
            }
            long at = HEADER + (long) slot * g.slotSize;
            java.nio.ByteBuffer state = java.nio.ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(state, at);
            if (state.getLong(0) != id) {
                return Status.NOT_FOUND;
            }
            ch.write(java.nio.ByteBuffer.allocate(16), at);
            return Status.OK;
        }
    }

    private record Geometry(int slotSize, int slotCount) {
        static Geometry of(FileChannel ch) throws IOException {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            if (head.position() < 16 || head.getInt(0) != MAGIC || head.getInt(4) != VERSION) {
                return null;
            }
            int slotSize = head.getInt(8);
            int slotCount = head.getInt(12);
            boolean bounded = slotSize >= 4096 && slotSize <= MAX_SLOT_SIZE && slotSize % 4096 == 0
                    && slotCount > 0 && slotCount <= MAX_SLOTS && HEADER + (long) slotSize * slotCount <= MAX_BYTES;
            return bounded ? new Geometry(slotSize, slotCount) : null;
        }

        long fileSize() {
            return HEADER + (long) slotSize * slotCount;
        }
    }
}
