package org.pstore.core.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.wire.WriteAfterEOFException;
import org.pstore.core.Attributes;
import org.pstore.core.CommitGate;
import org.pstore.core.FaultInjection;
import org.pstore.core.NameBatch;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableNames;

/**
 * The variable store: log-structured on a Chronicle Queue. A set or a delete appends an entry; the index of
 * live variables is rebuilt from the log at open; when the log would eat into the reserve, a compaction
 * copies the live variables into a new generation and deletes the old one.
 *
 * <p>Not thread-safe: the ops tables serialise every call under the {@link org.pstore.core.ops.StoreLock}.
 * One process writes a store at a time ({@code store.lock}); readers use {@link StoreView}.
 *
 * <p>{@link #setNonBlocking} is the crash-time write: no compaction, no index growth, no allocation. For
 * the last, normal writes keep Chronicle's next indexed entry (every 256th of a generation) at least
 * {@link #CRASH_WINDOW} appends away, with pad entries when needed: an indexed append creates per-thread
 * index holders on a thread that has none (or after a collection cleared them), and the panicking thread
 * may be any thread.
 */
public final class VariableStore implements AutoCloseable {
    static final String LOCK_FILE = "store.lock";
    /**
     * Crash-time writes that may follow a normal one before an indexed position: a panic writes two revisions
     * of its dump, each of {@code partsPerDump} parts (6 with pstore's defaults).
     */
    static final int CRASH_WINDOW = 32;

    private final StoreConfig config;
    private final Path dir;
    private final ProcessLock processLock;
    private final FaultInjection faults;
    private final long blockSize;
    private final byte[] entry;
    private final byte[][] readBuffer;
    private final CRC32C crc = new CRC32C();
    private final Healing healing;
    private final long corruptEntries;
    private VariableLog log;
    private VariableIndex index;
    private final byte[] nameBytes = new byte[VariableNames.MAX_LENGTH];
    /** Compaction's reader of live entries, reused: its bitmaps stay between compactions. */
    private final LivePass livePass = new LivePass();
    private long logBytes;
    private long compactions;
    /** Set when the log could not be brought back to a consistent state; every write then fails. */
    private boolean failed;

    VariableStore(StoreConfig config, ProcessLock processLock, long blockSize, VariableLog log, Replay replay,
                  Healing healing) {
        this.config = config;
        this.dir = config.dir();
        this.processLock = processLock;
        this.faults = config.faultInjection();
        this.blockSize = blockSize;
        this.entry = new byte[Math.max(EntryFormat.size(VariableNames.MAX_LENGTH, config.maxVariableSize()),
                EntryFormat.size(0, NameBatch.MAX_BYTES))];
        this.readBuffer = new byte[][] {new byte[entry.length]};
        this.log = log;
        this.index = replay.current;
        this.logBytes = replay.retainedBytes();
        this.corruptEntries = replay.corruptEntries;
        this.healing = healing;
        markOpen();
        compactIfOverCapacity();
    }

    /**
     * Every open leaves a mark: it makes sure the current generation's file exists (created and restricted
     * here, never by a crash-time write) and records the open in the log. A generation that was already
     * rolled past (a later one was removed at open as an unfinished compaction) is closed for writing:
     * the mark then opens the next one.
     */
    private void markOpen() {
        try {
            try {
                logBytes += appendMarker(EntryFormat.OPEN_MARK, 0);
            } catch (WriteAfterEOFException e) {
                log.roll(log.generation() + 1, 0);
                logBytes += appendMarker(EntryFormat.OPEN_MARK, 0);
            }
            clearCrashWindow();
        } catch (Reservation.NoRoomException e) {
            // A full filesystem: the store opens all the same, for reading; normal writes say OUT_OF_RESOURCES
            // until there is room, and crash-time writes go where there still is (what is backed, the panic area).
        } catch (IOException | RuntimeException e) {
            throw new StoreException(Status.DEVICE_ERROR, "cannot write to store " + dir + ": " + e, e);
        }
        log.restrictFiles();
    }

    /**
     * Opens (creating if needed) the store in {@code config.dir()} for writing, after bringing it into a
     * consistent state (see {@link StoreOpener}).
     */
    public static VariableStore open(StoreConfig config) {
        return StoreOpener.open(config);
    }

    /**
     * One chunk maps a whole generation (sparse file, so unused space costs nothing): appends then never map
     * a new chunk, which would allocate on the crash-time write.
     */
    static long blockSize(long capacity) {
        return Long.highestOneBit(Math.max(capacity * 2 + (1 << 20), 1 << 20) - 1) << 1;
    }

    public Status get(Namespace ns, CharSequence name, VariableBuffer out) {
        if (!VariableNames.valid(name)) {
            return Status.INVALID;
        }
        int slot = index.find(ns.msb(), ns.lsb(), name, VariableIndex.hash(ns.msb(), ns.lsb(), name));
        if (slot < 0) {
            return Status.NOT_FOUND;
        }
        try {
            return log.readVariable(index.location(slot), readBuffer, crc, out);
        } catch (RuntimeException e) {
            return Status.DEVICE_ERROR;
        }
    }

    public Status nextName(NameCursor cursor) {
        int from;
        if (!cursor.started()) {
            from = 0;
        } else if (cursor.epoch() == index.epoch()) {
            from = cursor.slot() + 1;
        } else {
            Namespace ns = cursor.namespace();
            int at = index.find(ns.msb(), ns.lsb(), cursor.name(), VariableIndex.hash(ns.msb(), ns.lsb(), cursor.name()));
            if (at < 0) {
                return Status.INVALID;
            }
            from = at + 1;
        }
        int slot = index.nextOccupied(from);
        if (slot < 0) {
            return Status.NOT_FOUND;
        }
        StringBuilder name = cursor.nameBuffer();
        name.setLength(0);
        index.appendName(slot, name);
        cursor.moveTo(index.namespace(slot), slot, index.epoch());
        return Status.OK;
    }

    /** The normal write: may compact; never eats the reserve. */
    public Status set(Namespace ns, CharSequence name, int attributes, byte[] data, int offset, int length) {
        return write(ns, name, attributes, data, offset, length, false, null);
    }

    /** The normal write, going ahead only if {@code gate} says so at its point of no return (else ABORTED). */
    public Status set(Namespace ns, CharSequence name, int attributes, byte[] data, int offset, int length, CommitGate gate) {
        return write(ns, name, attributes, data, offset, length, false, gate);
    }

    /** The crash-time write: may use the reserve; no compaction, no growth, no allocation. */
    public Status setNonBlocking(Namespace ns, CharSequence name, int attributes, byte[] data, int offset, int length) {
        return write(ns, name, attributes, data, offset, length, true, null);
    }

    /**
     * Normal path: erases every variable of {@code ns} that {@code names} holds, as one erase entry (absent
     * names are skipped). NOT_FOUND, with nothing written and the gate not asked, when none is present; OK
     * once the entry is written (the gate asked once, at its point of no return). When the entry would not
     * fit even with a compaction, the names are deleted one by one (after asking the gate).
     */
    public Status erase(Namespace ns, NameBatch names, CommitGate gate) {
        if (failed) {
            return Status.DEVICE_ERROR;
        }
        long msb = ns.msb();
        long lsb = ns.lsb();
        byte[] packed = names.packed();
        int end = names.packedLength();
        boolean any = false;
        for (int at = 0; at < end && !any; at += 1 + (packed[at] & 0xff)) {
            any = find(msb, lsb, packed, at) >= 0;
        }
        if (!any) {
            return Status.NOT_FOUND;
        }
        long cost = EntryFormat.cost(0, end);
        Status room = roomForDelete(cost);
        if (room != Status.OK) {
            return room;
        }
        try {
            faults.onWrite(FaultInjection.Phase.BEFORE_APPEND, ns, "");
            if (gate != null && !gate.commit()) {
                return Status.ABORTED;
            }
            if (logBytes + cost > config.capacity()) {
                return eraseOneByOne(ns, names);
            }
            int size = EntryFormat.encode(entry, EntryFormat.ERASE, msb, lsb, "", names.count(), packed, 0, end, crc);
            log.appendDelete(entry, size, faults, ns, "");
        } catch (Reservation.NoRoomException e) {
            return Status.OUT_OF_RESOURCES;
        } catch (IOException | RuntimeException e) {
            return Status.DEVICE_ERROR;
        }
        logBytes += cost;
        for (int at = 0; at < end; at += 1 + (packed[at] & 0xff)) {
            int slot = find(msb, lsb, packed, at);
            if (slot >= 0) {
                index.remove(slot);
            }
        }
        try {
            clearCrashWindow();
        } catch (IOException | RuntimeException e) {
            // the erase is done; a crash-time write may then find an indexed position, and cope
        }
        return Status.OK;
    }

    /** The slot of the name packed at {@code at} (a length byte, then the name), or -1. */
    private int find(long msb, long lsb, byte[] packed, int at) {
        int len = packed[at] & 0xff;
        return index.find(msb, lsb, packed, at + 1, len, VariableIndex.hash(msb, lsb, packed, at + 1, len));
    }

    private Status eraseOneByOne(Namespace ns, NameBatch names) {
        for (int i = 0; i < names.count(); i++) {
            Status s = write(ns, names.name(i), 0, null, 0, 0, false, null);
            if (!s.ok() && s != Status.NOT_FOUND) {
                return s;
            }
        }
        return Status.OK;
    }

    private Status write(Namespace ns, CharSequence name, int attributes, byte[] data, int offset, int length, boolean crashTime,
                         CommitGate gate) {
        if (failed) {
            return Status.DEVICE_ERROR;
        }
        byte[] nameBytes = this.nameBytes; // the name as bytes, once: hashed, probed, written and indexed from them
        int nameLength = VariableNames.toAscii(name, nameBytes);
        if (nameLength < 0 || length < 0 || length > config.maxVariableSize()
                || (length > 0 && (data == null || offset < 0 || offset + length > data.length))) {
            return Status.INVALID;
        }
        long msb = ns.msb();
        long lsb = ns.lsb();
        long hash = VariableIndex.hash(msb, lsb, nameBytes, 0, nameLength);
        int probe = index.probe(msb, lsb, nameBytes, 0, nameLength, hash); // one probe: the slot, or where an insert goes
        int slot = Math.max(probe, -1);
        if (length == 0 && slot < 0) {
            return Status.NOT_FOUND;
        }
        long cost = EntryFormat.cost(nameLength, length);
        long probed = index.epoch();
        Status room = crashTime ? roomAtCrash(slot, nameLength, cost)
                : length == 0 ? roomForDelete(cost) : roomForNormal(slot, nameLength, length, cost);
        if (room != Status.OK) {
            return room;
        }
        if (!crashTime && slot < 0) {
            index = index.roomyFor(nameLength);
        }
        if (index.epoch() != probed) { // compacted or rebuilt meanwhile (normal path only): slots moved
            probe = index.probe(msb, lsb, nameBytes, 0, nameLength, hash);
            slot = Math.max(probe, -1);
        }
        long location;
        try {
            faults.onWrite(FaultInjection.Phase.BEFORE_APPEND, ns, name);
            if (gate != null && !gate.commit()) {
                return Status.ABORTED; // its caller stopped waiting: it must not happen now
            }
            if (!crashTime && length == 0 && logBytes + cost > config.capacity()) {
                return compact(slot); // not even the delete's entry fits: the snapshot leaves the variable out
            }
            // the entry in parts, around the caller's data: its header, name and trailer here, the data written
            // once, straight into the log; sealed data checks itself and is not checksummed again
            byte kind = length == 0 ? EntryFormat.DELETE : (attributes & Attributes.SEALED) != 0 ? EntryFormat.SEALED_SET : EntryFormat.SET;
            int head = EntryFormat.encodeHead(entry, kind, msb, lsb, nameBytes, nameLength, attributes, data, offset, length, crc);
            if (length == 0) {
                int size = head + EntryFormat.TRAILER; // no data: the whole entry is in the buffer
                location = crashTime ? log.appendAtCrash(entry, size, faults, ns, name) : log.appendDelete(entry, size, faults, ns, name);
            } else {
                location = crashTime ? log.appendAtCrash(entry, head, data, offset, length, faults, ns, name)
                        : log.append(entry, head, data, offset, length, faults, ns, name);
            }
        } catch (Reservation.NoRoomException e) {
            return crashTime ? Status.DEVICE_ERROR : Status.OUT_OF_RESOURCES; // the filesystem is full
        } catch (IOException | RuntimeException e) {
            return Status.DEVICE_ERROR;
        }
        logBytes += cost;
        if (length == 0) {
            index.remove(slot);
        } else if (slot >= 0) {
            index.update(slot, location, length, attributes);
        } else {
            index.insertAt(-probe - 1, ns, nameBytes, 0, nameLength, hash, location, length, attributes);
        }
        if (!crashTime) {
            log.pinIndexHolders();
            try {
                clearCrashWindow();
            } catch (IOException | RuntimeException e) {
                // the write is done; a crash-time write may then find an indexed position, and cope
            }
        }
        return Status.OK;
    }

    /**
     * Normal path: when Chronicle's next indexed position is closer than {@link #CRASH_WINDOW} appends, pads
     * up to and including it, so that the crash-time writes that may follow never reach one. Skipped when
     * the pads would eat into the reserve.
     */
    private void clearCrashWindow() throws IOException {
        int before = log.appendsBeforeIndexed();
        if (before >= CRASH_WINDOW) {
            return;
        }
        long padCost = EntryFormat.cost(0, 0);
        if (logBytes + (before + 1) * padCost > config.capacity() - config.reserve()) {
            return;
        }
        for (int i = 0; i <= before; i++) {
            logBytes += appendMarker(EntryFormat.PAD, 0);
        }
    }

    private Status roomAtCrash(int slot, int nameLength, long cost) {
        if (slot < 0 && !index.fitsAtCrash(nameLength)) {
            return Status.OUT_OF_RESOURCES;
        }
        return logBytes + cost <= config.capacity() ? Status.OK : Status.OUT_OF_RESOURCES;
    }

    /**
     * A delete is how space comes back, so room never refuses it. Below the reserve when it can be (after a
     * compaction if that is what it takes); when live data already eats into the reserve (crash-time writes
     * used it), the delete's entry may too, since it frees more than it costs; when not even that fits, the
     * caller deletes by compaction.
     */
    private Status roomForDelete(long cost) {
        long limit = config.capacity() - config.reserve();
        if (logBytes + cost <= limit) {
            return Status.OK;
        }
        long compacted = index.liveBytes() + 2L * EntryFormat.OVERHEAD + cost; // the snapshot's markers
        if (compacted <= limit) {
            return compact();
        }
        if (logBytes + cost <= config.capacity()) {
            return Status.OK;
        }
        return compacted <= config.capacity() ? compact() : Status.OK;
    }

    private Status roomForNormal(int slot, int nameLength, int length, long cost) {
        long limit = config.capacity() - config.reserve();
        if (logBytes + cost <= limit) {
            return Status.OK;
        }
        long liveAfter = index.liveBytes() - (slot >= 0 ? index.cost(slot) : 0) + cost;
        if (liveAfter + 2L * EntryFormat.OVERHEAD > limit) { // the snapshot's begin and end markers
            return Status.OUT_OF_RESOURCES;
        }
        Status compacted = compact();
        if (compacted != Status.OK) {
            return compacted;
        }
        return logBytes + cost <= limit ? Status.OK : Status.OUT_OF_RESOURCES;
    }

    /** The log underneath (tests). */
    VariableLog log() {
        return log;
    }

    /**
     * Copies every live variable into a new generation between snapshot markers, then deletes the old
     * generations. Cut short, the new generation ends with an "abandoned" marker and the old ones stay.
     */
    public Status compact() {
        return compact(-1);
    }

    /** Compacts, leaving out the variable in {@code deleted} (unless -1): the snapshot's end deletes it. */
    private Status compact(int deleted) {
        if (failed) {
            return Status.DEVICE_ERROR;
        }
        int old = log.generation();
        int next = old + 1;
        try {
            log.roll(next, index.liveBytes() + 2L * EntryFormat.OVERHEAD); // its file backed for the snapshot first
        } catch (Reservation.NoRoomException e) {
            return Status.OUT_OF_RESOURCES; // the filesystem is full: the old generation goes on as it was
        }
        long bytes = 0;
        int n = index.size();
        Copier copier = new Copier(index.blankForCompaction().roomyFor(0), deleted < 0 ? -1 : index.location(deleted));
        VariableIndex fresh;
        try {
            bytes += appendMarker(EntryFormat.SNAPSHOT_BEGIN, old);
            int missing = livePass.run(log, index, readBuffer, crc, copier);
            if (copier.failure != null) {
                throw copier.failure;
            }
            if (missing > 0 || copier.copied + copier.left != n) {
                throw new IOException(n - copier.copied - copier.left + " live entries unreadable during compaction");
            }
            fresh = copier.fresh;
            bytes += copier.bytes;
            bytes += appendMarker(EntryFormat.SNAPSHOT_END, fresh.size());
        } catch (IOException | RuntimeException e) {
            abandonCompaction(bytes + copier.bytes);
            index.keepSpare(copier.fresh);
            return Status.DEVICE_ERROR;
        }
        fresh.keepSpare(index);
        index = fresh;
        logBytes = bytes;
        compactions++;
        try {
            clearCrashWindow();
        } catch (IOException | RuntimeException e) {
            // the snapshot is complete; a crash-time write may then find an indexed position, and cope
        }
        try {
            for (int g = Math.max(0, Math.min(log.firstCycle(), old)); g <= old; g++) {
                log.deleteGeneration(g);
            }
        } catch (IOException e) {
            // The snapshot is complete: a leftover generation is superseded and removed at the next open.
        }
        log.restrictFiles();
        return Status.OK;
    }

    /** Appends each live entry, read in log order, to the new generation and indexes it there. */
    private final class Copier implements LivePass.Sink {
        private final long leaveOut;
        VariableIndex fresh;
        long bytes;
        int copied;
        int left;
        IOException failure;

        Copier(VariableIndex fresh, long leaveOut) {
            this.fresh = fresh;
            this.leaveOut = leaveOut;
        }

        @Override
        public void entry(Namespace ns, long from, byte[] buf, int size) {
            if (failure != null) {
                return;
            }
            if (from == leaveOut) {
                left++;
                return;
            }
            int nameLength = EntryFormat.nameLength(buf);
            try {
                long location = log.append(buf, size, FaultInjection.NONE, ns, "");
                bytes += size + 4;
                fresh = fresh.roomyFor(nameLength);
                fresh.insert(ns, buf, EntryFormat.HEADER, nameLength,
                        VariableIndex.hash(ns.msb(), ns.lsb(), buf, EntryFormat.HEADER, nameLength),
                        location, EntryFormat.dataLength(buf), EntryFormat.attributes(buf));
                copied++;
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private void abandonCompaction(long bytesWritten) {
        try {
            int size = EntryFormat.encodeMarker(entry, EntryFormat.SNAPSHOT_END, Replay.ABANDONED, crc);
            log.appendAtCrash(entry, size, FaultInjection.NONE, null, ""); // into what is backed: a full disk may be why
            logBytes += bytesWritten + size + 4;
        } catch (IOException | RuntimeException e) {
            // The log takes no more writes: reopening the store recovers from the old generations.
            failed = true;
        }
    }

    private long appendMarker(byte kind, int value) throws IOException {
        int size = EntryFormat.encodeMarker(entry, kind, value, crc);
        log.append(entry, size, FaultInjection.NONE, null, "");
        return size + 4;
    }

    private void compactIfOverCapacity() {
        if (logBytes > config.capacity() - config.reserve() && index.liveBytes() < logBytes) {
            compact();
        }
    }

    public Status query(StoreSpace out) {
        out.set(config.capacity(), logBytes, index.liveBytes(), config.reserve(), config.maxVariableSize(),
                EntryFormat.OVERHEAD, index.size());
        return Status.OK;
    }

    /** What was found wrong at open: entries skipped for failing validation, files moved aside. */
    public StoreHealth health() {
        return new StoreHealth(corruptEntries, healing, compactions, log.generation());
    }

    public StoreConfig config() {
        return config;
    }

    /** How many entries the log holds, dead ones included: what writes cost in entries (tests, bench notes). */
    public long entryCount() {
        return log.entryCount();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        try {
            log.close();
        } finally {
            processLock.close();
        }
    }

}
