package org.pstore.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;

/**
 * Folds the log into the set of live variables: sets and deletes in order, with compaction snapshots
 * (begin ... end) replacing everything before them. An entry that fails validation is skipped and counted,
 * never applied. Used by the writer at open and by read-only views alike.
 */
final class Replay {
    /** Snapshot end value meaning "compaction abandoned; keep what was before the begin". */
    static final int ABANDONED = -1;

    VariableIndex current = VariableIndex.empty();
    /** Generations before this one are superseded by a complete snapshot (-1: none). */
    int supersededBefore = -1;
    /** A generation holding a snapshot that never ended: a compaction cut short (-1: none). */
    int incompleteGeneration = -1;
    long corruptEntries;
    long entries;
    /** Bytes per generation, as counted for space accounting. */
    final TreeMap<Integer, Long> generationBytes = new TreeMap<>();
    /** Per generation, where the last readable entry's header sits. */
    final TreeMap<Integer, Long> lastHeader = new TreeMap<>();

    private final List<Namespace> namespaces = new ArrayList<>();
    private Namespace lastNamespace;
    private VariableIndex pending;
    private int pendingGeneration = -1;

    /** The entries of a log in order, wherever they are read from (Chronicle for the writer, the files for a view). */
    interface Source extends AutoCloseable {
        /** Copies the next entry into {@code scratch[0]} (grown as needed); its size, or -1 at the end. */
        int next(byte[][] scratch);

        /** Where the entry last read is: what the index keeps to read it again. */
        long location();

        int generation();

        /** Where the entry's 4-byte header sits in its generation's file. */
        long headerPosition();

        @Override
        void close();
    }

    static Replay of(VariableLog log) {
        return of(log.cursor(), log.entryCount());
    }

    /** Replays {@code source} (closed when done); {@code expected} entries size the index, so it need not grow. */
    static Replay of(Source source, long expected) {
        Replay r = new Replay();
        r.current = VariableIndex.sized(expected);
        r.run(source);
        return r;
    }

    private void run(Source source) {
        byte[][] scratch = {new byte[64 << 10]};
        CRC32C crc = new CRC32C();
        int cycle = Integer.MIN_VALUE;
        long cycleBytes = 0;
        long header = 0;
        try (Source cursor = source) {
            for (int size; (size = cursor.next(scratch)) >= 0; ) {
                entries++;
                if (cursor.generation() != cycle) { // per generation, kept in primitives: a map per entry boxes
                    account(cycle, cycleBytes, header);
                    cycle = cursor.generation();
                    cycleBytes = 0;
                }
                cycleBytes += size + 4;
                header = cursor.headerPosition();
                byte[] buf = scratch[0];
                byte kind = EntryFormat.validate(buf, size, crc);
                switch (kind) {
                    case EntryFormat.SET:
                        set(target(), buf, cursor.location());
                        break;
                    case EntryFormat.DELETE:
                        delete(target(), buf);
                        break;
                    case EntryFormat.ERASE:
                        if (!erase(target(), buf)) {
                            corruptEntries++;
                        }
                        break;
                    case EntryFormat.SNAPSHOT_BEGIN:
                        pending = VariableIndex.empty();
                        pendingGeneration = cursor.generation();
                        break;
                    case EntryFormat.OPEN_MARK:
                    case EntryFormat.PAD:
                        break;
                    case EntryFormat.SNAPSHOT_END:
                        if (pending != null && EntryFormat.attributes(buf) != ABANDONED) {
                            current = pending;
                            supersededBefore = pendingGeneration;
                        }
                        pending = null;
                        break;
                    default:
                        corruptEntries++;
                }
            }
        }
        account(cycle, cycleBytes, header);
        if (pending != null) {
            incompleteGeneration = pendingGeneration;
        }
    }

    private void account(int cycle, long bytes, long lastHeaderPosition) {
        if (cycle != Integer.MIN_VALUE) {
            generationBytes.merge(cycle, bytes, Long::sum);
            lastHeader.put(cycle, lastHeaderPosition);
        }
    }

    /** Bytes held by the generations a writer keeps after repair. */
    long retainedBytes() {
        long total = 0;
        for (var e : generationBytes.entrySet()) {
            if (e.getKey() >= supersededBefore && e.getKey() != incompleteGeneration) {
                total += e.getValue();
            }
        }
        return total;
    }

    boolean needsRepair(int firstGeneration) {
        return incompleteGeneration >= 0 || (supersededBefore >= 0 && firstGeneration < supersededBefore);
    }

    private VariableIndex target() {
        return pending != null ? pending : current;
    }

    private void set(VariableIndex index, byte[] buf, long location) {
        long msb = EntryFormat.nsMsb(buf);
        long lsb = EntryFormat.nsLsb(buf);
        int nameLength = EntryFormat.nameLength(buf);
        int dataLength = EntryFormat.dataLength(buf);
        long hash = VariableIndex.hash(msb, lsb, buf, EntryFormat.HEADER, nameLength);
        VariableIndex roomy = index.roomyFor(nameLength);
        if (roomy != index) {
            if (index == pending) {
                pending = roomy;
            } else {
                current = roomy;
            }
        }
        int slot = roomy.probe(msb, lsb, buf, EntryFormat.HEADER, nameLength, hash);
        if (slot >= 0) {
            roomy.update(slot, location, dataLength, EntryFormat.attributes(buf));
        } else {
            roomy.insertAt(-slot - 1, namespace(msb, lsb), buf, EntryFormat.HEADER, nameLength, hash, location, dataLength,
                    EntryFormat.attributes(buf));
        }
    }

    private static void delete(VariableIndex index, byte[] buf) {
        long msb = EntryFormat.nsMsb(buf);
        long lsb = EntryFormat.nsLsb(buf);
        int nameLength = EntryFormat.nameLength(buf);
        long hash = VariableIndex.hash(msb, lsb, buf, EntryFormat.HEADER, nameLength);
        int slot = index.find(msb, lsb, buf, EntryFormat.HEADER, nameLength, hash);
        if (slot >= 0) {
            index.remove(slot);
        }
    }

    /** Applies an erase entry's names; false when its list is ill-formed (then nothing of it is applied). */
    private static boolean erase(VariableIndex index, byte[] buf) {
        int from = EntryFormat.dataOffset(buf);
        int end = from + EntryFormat.dataLength(buf);
        int names = EntryFormat.attributes(buf);
        int n = 0;
        for (int at = from; at < end; n++) {
            int len = buf[at] & 0xff;
            if (len == 0 || len > org.pstore.core.VariableNames.MAX_LENGTH || at + 1 + len > end) {
                return false;
            }
            at += 1 + len;
        }
        if (n != names) {
            return false;
        }
        long msb = EntryFormat.nsMsb(buf);
        long lsb = EntryFormat.nsLsb(buf);
        for (int at = from; at < end; ) {
            int len = buf[at] & 0xff;
            long hash = VariableIndex.hash(msb, lsb, buf, at + 1, len);
            int slot = index.find(msb, lsb, buf, at + 1, len, hash);
            if (slot >= 0) {
                index.remove(slot);
            }
            at += 1 + len;
        }
        return true;
    }

    private Namespace namespace(long msb, long lsb) {
        if (lastNamespace != null && lastNamespace.is(msb, lsb)) {
            return lastNamespace;
        }
        lastNamespace = find(msb, lsb);
        return lastNamespace;
    }

    private Namespace find(long msb, long lsb) {
        for (Namespace ns : namespaces) {
            if (ns.is(msb, lsb)) {
                return ns;
            }
        }
        Namespace ns = Namespace.of(msb, lsb);
        namespaces.add(ns);
        return ns;
    }
}
