package org.pstore.backend;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.store.StoreFiles;

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
    static final int MAGIC = 0x41505350;
    static final int VERSION = 1;
    static final int HEADER = 4096;
    static final int SLOT_HEADER = 16;

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
     * Opens or creates the area for writing (the caller holds the store's writer lock). An existing area whose
     * slots are too small for {@code frameSize} is moved aside, records and all, and a new one made.
     */
    public static PanicArea openWritable(Path dir, int frameSize, int slots, Durability durability) {
        Path file = dir.resolve(FILE);
        int slotSize = roundUp(frameSize + SLOT_HEADER, 4096);
        try {
            if (Files.exists(file)) {
                Geometry g = Geometry.of(file);
                if (g == null || g.slotSize < slotSize) {
                    Files.move(file, dir.resolve(FILE + "." + System.currentTimeMillis()));
                } else {
                    slotSize = g.slotSize;
                    slots = g.slotCount;
                }
            }
            long size = HEADER + (long) slotSize * slots;
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            StoreFiles.restrict(file, StoreFiles.FILE);
            if (ch.size() < size) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), size - 1); // sparse until touched
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            map.putInt(0, MAGIC).putInt(4, VERSION).putInt(8, slotSize).putInt(12, slots);
            PanicArea area = new PanicArea(file, ch, map, slotSize, slots, durability);
            area.pretouch();
            return area;
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot prepare the panic area " + file + ": " + e.getMessage(), e);
        }
    }

    private static int roundUp(int n, int to) {
        return (n + to - 1) / to * to;
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

    /** Reads every occupied slot of every area file in {@code dir} (the current one and any moved aside). */
    public static List<Stored> read(Path dir) throws IOException {
        List<Stored> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(FILE)).sorted().toList()) {
                found.addAll(readFile(f));
            }
        }
        return found;
    }

    private static List<Stored> readFile(Path f) throws IOException {
        List<Stored> found = new ArrayList<>();
        byte[] bytes = Files.readAllBytes(f);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Geometry g = Geometry.of(buf);
        if (g == null) {
            return found;
        }
        for (int i = 0; i < g.slotCount; i++) {
            long at = HEADER + (long) i * g.slotSize;
            if (at + g.slotSize > bytes.length) {
                break;
            }
            long id = buf.getLong((int) at);
            int length = buf.getInt((int) at + 8);
            if (id != 0 && length > 0 && length <= g.slotSize - SLOT_HEADER) {
                byte[] frame = new byte[length];
                System.arraycopy(bytes, (int) at + SLOT_HEADER, frame, 0, length);
                found.add(new Stored(f, i, id, frame));
            }
        }
        return found;
    }

    /** Frees a slot of an area file from outside (the reader's erase; the caller holds the writer lock). */
    public static Status erase(Path f, int slot, long id) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
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
        static Geometry of(Path f) throws IOException {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                return of(ch);
            }
        }

        static Geometry of(FileChannel ch) throws IOException {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            return of(head);
        }

        static Geometry of(java.nio.ByteBuffer head) {
            if (head.limit() < 16 || head.getInt(0) != MAGIC || head.getInt(4) != VERSION) {
                return null;
            }
            int slotSize = head.getInt(8);
            int slotCount = head.getInt(12);
            return slotSize >= 4096 && slotCount > 0 && slotCount < 65536 ? new Geometry(slotSize, slotCount) : null;
        }
    }
}
