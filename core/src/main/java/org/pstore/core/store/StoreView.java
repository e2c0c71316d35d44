package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;

/**
 * A read-only view of a variable store for post-mortem readers: takes no lock, writes nothing, never
 * waits, and may be used while the writing application runs. It is one point in time, the moment it was
 * opened: the log's files are held open from then on ({@link CycleFiles}), so a writer's later appends,
 * compactions and deletions change nothing it shows. It reads the files themselves, not through Chronicle,
 * so a damaged or stale metadata file, a stale lock, or a torn header cannot hide or delay what is good.
 */
public final class StoreView implements AutoCloseable {
    private final CycleFiles files;
    private final Replay replay;
    private final CRC32C crc = new CRC32C();
    private final byte[][] buffer = {new byte[64 << 10]};

    private StoreView(CycleFiles files, Replay replay) {
        this.files = files;
        this.replay = replay;
    }

    /** Whether {@code dir} looks like a variable store (a reader's "not a store" check). */
    public static boolean exists(Path dir) {
        return LogFiles.exists(dir);
    }

    public static StoreView open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new StoreException(Status.NOT_FOUND, dir + ": no such directory");
        }
        if (!exists(dir)) {
            throw new StoreException(Status.INVALID, dir + " is not a variable store (no log files)");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read " + dir + ": permission denied");
        }
        CycleFiles files = CycleFiles.open(dir);
        try {
            // the index grows as it fills: the files' sizes say little (they are sparse, a generation's block each)
            return new StoreView(files, Replay.of(files.cursor(), 0));
        } catch (RuntimeException e) {
            files.close();
            throw e instanceof StoreException ? e : new StoreException(Status.DEVICE_ERROR, "cannot read store " + dir + ": " + e, e);
        }
    }

    /**
     * A view of one cycle file on its own (a generation the writer moved into the {@link Quarantine}): the
     * variables it holds as if it were the whole log. Takes no lock, writes nothing.
     */
    public static StoreView ofFile(Path file) {
        CycleFiles files;
        try {
            files = CycleFiles.ofFile(file);
        } catch (IOException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return new StoreView(files, Replay.of(files.cursor(), 0));
        } catch (RuntimeException e) {
            files.close();
            throw e instanceof StoreException ? e : new StoreException(Status.DEVICE_ERROR, "cannot read " + file + ": " + e, e);
        }
    }

    /** Receives each live variable; the arrays are reused between calls. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length);

        /** Kept for callers written against views that started over; a view is one point in time and never does. */
        default void restart() {
        }
    }

    /**
     * Visits every live variable, in log order. Returns how many could not be read back (a damaged file):
     * counted, never passed on.
     */
    public long forEach(Visitor visitor) {
        VariableIndex index = replay.current;
        long[] locations = new long[index.size()];
        int n = 0;
        for (int slot = index.nextOccupied(0); slot >= 0; slot = index.nextOccupied(slot + 1)) {
            locations[n++] = index.location(slot);
        }
        Arrays.sort(locations, 0, n); // log order: each file read front to back
        StringBuilder name = new StringBuilder(128);
        long unreadable = 0;
        for (int i = 0; i < n; i++) {
            int size = read(locations[i]);
            byte[] buf = buffer[0];
            if (size < 0 || EntryFormat.validate(buf, size, crc) != EntryFormat.SET) {
                unreadable++;
                continue;
            }
            name.setLength(0);
            for (int c = 0, len = EntryFormat.nameLength(buf); c < len; c++) {
                name.append((char) buf[EntryFormat.HEADER + c]);
            }
            visitor.visit(Namespace.of(EntryFormat.nsMsb(buf), EntryFormat.nsLsb(buf)), name, EntryFormat.attributes(buf), buf,
                    EntryFormat.dataOffset(buf), EntryFormat.dataLength(buf));
        }
        return unreadable;
    }

    /** Reads one variable; NOT_FOUND when absent, DEVICE_ERROR when it cannot be read back. */
    public Status get(Namespace ns, CharSequence name, VariableBuffer out) {
        VariableIndex index = replay.current;
        int slot = index.find(ns.msb(), ns.lsb(), name, VariableIndex.hash(ns.msb(), ns.lsb(), name));
        if (slot < 0) {
            return Status.NOT_FOUND;
        }
        int size = read(index.location(slot));
        byte[] buf = buffer[0];
        if (size < 0 || EntryFormat.validate(buf, size, crc) != EntryFormat.SET) {
            return Status.DEVICE_ERROR;
        }
        int length = EntryFormat.dataLength(buf);
        System.arraycopy(buf, EntryFormat.dataOffset(buf), out.prepare(length, length, EntryFormat.attributes(buf)), 0, length);
        return Status.OK;
    }

    private int read(long location) {
        try {
            return files.read(location, buffer);
        } catch (IOException e) {
            return -1;
        }
    }

    public int variables() {
        return replay.current.size();
    }

    /** Entries skipped because they failed validation (torn or damaged). */
    public long corruptEntries() {
        return replay.corruptEntries;
    }

    /** Log files that could not be read, or only in part, each "name: why". */
    public List<String> damagedFiles() {
        return files.problems();
    }

    /** Space as the log stands; capacity and reserve are the writer's settings, unknown here (0). */
    public void space(StoreSpace out) {
        out.set(0, replay.retainedBytes(), replay.current.liveBytes(), 0, 0, EntryFormat.OVERHEAD, replay.current.size());
    }

    @Override
    public void close() {
        files.close();
    }
}
