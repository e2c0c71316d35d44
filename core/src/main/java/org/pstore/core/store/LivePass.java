package org.pstore.core.store;

import java.util.Arrays;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;

/**
 * Reads every live entry of an index in one sequential pass over the log, from the earliest live entry on.
 * Which entries are live is marked first in a bitmap per generation (the index knows each live entry's
 * location), so the pass itself touches no hash table: it tests a bit and hands on the entry. A seek per
 * variable in hash order (what this replaced) made Chronicle remap its chunks over and over.
 *
 * <p>One per store, reused by each compaction: its bitmaps and namespace list are kept and cleared, so that a
 * compaction in the store's steady state allocates nothing here (live entries sit in one generation or a few).
 */
final class LivePass {
    /** Receives each live entry, in log order, with its namespace (the index's own instance) and location. */
    interface Sink {
        void entry(Namespace namespace, long location, byte[] buf, int size);
    }

    private int[] cycles = new int[4];
    private long[][] bits = new long[4][];
    private int generations;
    private Namespace[] namespaces = new Namespace[8];
    private int namespaceCount;

    /** Returns how many live entries were not met (or failed validation): 0 when all were read. */
    int run(VariableLog log, VariableIndex index, byte[][] scratch, CRC32C crc, Sink sink) {
        int live = index.size();
        if (live == 0) {
            return 0;
        }
        clear();
        long first = Long.MAX_VALUE;
        int lastCycle = Integer.MIN_VALUE;
        int at = -1;
        for (int slot = index.nextOccupied(0); slot >= 0; slot = index.nextOccupied(slot + 1)) {
            long location = index.location(slot);
            first = Math.min(first, location);
            int cycle = LogFiles.ROLL_CYCLE.toCycle(location);
            if (cycle != lastCycle) {
                at = generation(cycle);
                lastCycle = cycle;
            }
            long seq = LogFiles.ROLL_CYCLE.toSequenceNumber(location);
            int word = (int) (seq >>> 6);
            if (bits[at].length <= word) {
                bits[at] = Arrays.copyOf(bits[at], Math.max(word + 1, bits[at].length * 2));
            }
            bits[at][word] |= 1L << seq;
            addNamespace(index.namespace(slot));
        }
        int met = 0;
        int cycle = Integer.MIN_VALUE;
        long[] b = null;
        try (VariableLog.Cursor cursor = log.cursor(first)) {
            for (int size; met < live && (size = cursor.next(scratch)) >= 0; ) {
                long location = cursor.location();
                if (cursor.generation() != cycle) {
                    cycle = cursor.generation();
                    int g = find(cycle);
                    b = g < 0 ? null : bits[g];
                }
                long seq = LogFiles.ROLL_CYCLE.toSequenceNumber(location);
                int word = (int) (seq >>> 6);
                if (b == null || word >= b.length || (b[word] & (1L << seq)) == 0) {
                    continue;
                }
                byte[] buf = scratch[0];
                if (EntryFormat.validate(buf, size, crc) != EntryFormat.SET) {
                    continue;
                }
                sink.entry(namespace(EntryFormat.nsMsb(buf), EntryFormat.nsLsb(buf)), location, buf, size);
                met++;
            }
        }
        return live - met;
    }

    /** Forgets the last pass: its bitmaps zeroed for reuse, its namespaces dropped. */
    private void clear() {
        for (int g = 0; g < generations; g++) {
            Arrays.fill(bits[g], 0L);
        }
        generations = 0;
        Arrays.fill(namespaces, 0, namespaceCount, null);
        namespaceCount = 0;
    }

    private int find(int cycle) {
        for (int g = 0; g < generations; g++) {
            if (cycles[g] == cycle) {
                return g;
            }
        }
        return -1;
    }

    /** The bitmap of generation {@code cycle}: one kept from an earlier pass when there is one. */
    private int generation(int cycle) {
        int g = find(cycle);
        if (g >= 0) {
            return g;
        }
        if (generations == cycles.length) {
            cycles = Arrays.copyOf(cycles, generations * 2);
            bits = Arrays.copyOf(bits, generations * 2);
        }
        cycles[generations] = cycle;
        if (bits[generations] == null) {
            bits[generations] = new long[1024];
        }
        return generations++;
    }

    private void addNamespace(Namespace ns) {
        for (int i = 0; i < namespaceCount; i++) {
            if (namespaces[i] == ns) {
                return;
            }
        }
        if (namespaceCount == namespaces.length) {
            namespaces = Arrays.copyOf(namespaces, namespaceCount * 2);
        }
        namespaces[namespaceCount++] = ns;
    }

    private Namespace namespace(long msb, long lsb) {
        for (int i = 0; i < namespaceCount; i++) {
            if (namespaces[i].is(msb, lsb)) {
                return namespaces[i];
            }
        }
        return Namespace.of(msb, lsb);
    }
}
