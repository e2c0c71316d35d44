package org.pstore.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.StoreSpace;

/**
 * A read-only view of a variable store for post-mortem readers: opens without taking any lock, writes
 * nothing, and may be used while the writing application runs (it sees the log as of {@link #open}).
 */
public final class StoreView implements AutoCloseable {
    /** Chunk size for reading: any size reads correctly; this one keeps mappings few. */
    private static final long READ_BLOCK = 64L << 20;

    private final VariableLog log;
    private final Replay replay;
    private final CRC32C crc = new CRC32C();
    private final byte[][] buffer = {new byte[64 << 10]};

    private StoreView(VariableLog log, Replay replay) {
        this.log = log;
        this.replay = replay;
    }

    /** Whether {@code dir} looks like a variable store (a reader's "not a store" check). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve("metadata.cq4t"));
    }

    public static StoreView open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new StoreException(Status.NOT_FOUND, dir + ": no such directory");
        }
        if (!exists(dir)) {
            throw new StoreException(Status.INVALID, dir + " is not a variable store (no metadata.cq4t)");
        }
        if (!Files.isReadable(dir.resolve("metadata.cq4t"))) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read " + dir + ": permission denied");
        }
        VariableLog log;
        try {
            log = VariableLog.openReadOnly(dir, READ_BLOCK);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read store " + dir + ": " + e, e);
        }
        try {
            return new StoreView(log, Replay.of(log));
        } catch (RuntimeException e) {
            log.close();
            throw new StoreException(Status.DEVICE_ERROR, "cannot read store " + dir + ": " + e, e);
        }
    }

    /** Receives each live variable; the arrays are reused between calls. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length);
    }

    /** Visits every live variable. Returns how many could not be read back (counted, never passed on). */
    public long forEach(Visitor visitor) {
        VariableIndex index = replay.current;
        StringBuilder name = new StringBuilder(128);
        long unreadable = 0;
        for (int slot = index.nextOccupied(0); slot >= 0; slot = index.nextOccupied(slot + 1)) {
            int size = log.read(index.location(slot), buffer);
            byte[] buf = buffer[0];
            if (size < 0 || EntryFormat.validate(buf, size, crc) != EntryFormat.SET) {
                unreadable++;
                continue;
            }
            name.setLength(0);
            index.appendName(slot, name);
            visitor.visit(index.namespace(slot), name, EntryFormat.attributes(buf), buf,
                    EntryFormat.dataOffset(buf), EntryFormat.dataLength(buf));
        }
        return unreadable;
    }

    public int variables() {
        return replay.current.size();
    }

    /** Entries skipped because they failed validation (torn or damaged). */
    public long corruptEntries() {
        return replay.corruptEntries;
    }

    /** Space as the log stands; capacity and reserve are the writer's settings, unknown here (0). */
    public void space(StoreSpace out) {
        out.set(0, replay.retainedBytes(), replay.current.liveBytes(), 0, 0, EntryFormat.OVERHEAD, replay.current.size());
    }

    @Override
    public void close() {
        log.close();
    }
}
