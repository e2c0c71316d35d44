package org.pstore.core.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;

/**
 * A read-only view of a variable store for post-mortem readers: opens without taking any lock, writes
 * nothing, and may be used while the writing application runs (it sees the log as of {@link #open}).
 */
public final class StoreView implements AutoCloseable {
    /** Chunk size for reading: any size reads correctly; this one keeps mappings few. */
    private static final long READ_BLOCK = 64L << 20;

    private final Path dir;
    private VariableLog log;
    private Replay replay;
    private final CRC32C crc = new CRC32C();
    private final byte[][] buffer = {new byte[64 << 10]};

    private StoreView(Path dir, VariableLog log, Replay replay) {
        this.dir = dir;
        this.log = log;
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
            throw new StoreException(Status.INVALID, dir + " is not a variable store (no " + LogFiles.METADATA + ")");
        }
        if (!Files.isReadable(dir.resolve(LogFiles.METADATA))) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read " + dir + ": permission denied");
        }
        StoreView view = new StoreView(dir, null, null);
        view.load();
        return view;
    }

    /** (Re)reads the log; the previous state, if any, is dropped. */
    private void load() {
        if (log != null) {
            log.close();
            log = null;
        }
        try {
            log = VariableLog.openReadOnly(dir, READ_BLOCK);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot read store " + dir + ": " + e, e);
        }
        try {
            replay = Replay.of(log);
            for (int generation : replay.generationBytes.keySet()) {
                log.pin(generation); // a writer's compaction may delete it while we read
            }
        } catch (RuntimeException e) {
            log.close();
            throw new StoreException(Status.DEVICE_ERROR, "cannot read store " + dir + ": " + e, e);
        }
    }

    /** Receives each live variable; the arrays are reused between calls. */
    @FunctionalInterface
    public interface Visitor {
        void visit(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length);

        /** The view is starting over (a writer compacted under it): forget what was visited so far. */
        default void restart() {
        }
    }

    /**
     * Visits every live variable. When a variable cannot be read back because a running writer compacted
     * the log meanwhile, the view reads the log again and starts over ({@link Visitor#restart()}). Returns
     * how many variables stayed unreadable (counted, never passed on).
     */
    public long forEach(Visitor visitor) {
        long unreadable = 0;
        for (int attempt = 0; attempt < 5; attempt++) {
            unreadable = visit(visitor);
            if (unreadable == 0) {
                return 0;
            }
            visitor.restart();
            load();
        }
        return visit(visitor);
    }

    /** Reads the live entries in log order, one sequential pass (no seek per variable). */
    private long visit(Visitor visitor) {
        VariableIndex index = replay.current;
        StringBuilder name = new StringBuilder(128);
        return LivePass.run(log, index, buffer, crc, (ns, location, buf, size) -> {
            name.setLength(0);
            for (int i = 0, n = EntryFormat.nameLength(buf); i < n; i++) {
                name.append((char) buf[EntryFormat.HEADER + i]);
            }
            visitor.visit(ns, name, EntryFormat.attributes(buf), buf, EntryFormat.dataOffset(buf), EntryFormat.dataLength(buf));
        });
    }

    /** Reads one variable; NOT_FOUND when absent, DEVICE_ERROR when it cannot be read back. */
    public Status get(Namespace ns, CharSequence name, VariableBuffer out) {
        VariableIndex index = replay.current;
        int slot = index.find(ns.msb(), ns.lsb(), name, VariableIndex.hash(ns.msb(), ns.lsb(), name));
        if (slot < 0) {
            return Status.NOT_FOUND;
        }
        return log.readVariable(index.location(slot), buffer, crc, out);
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
