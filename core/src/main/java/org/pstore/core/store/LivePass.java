package org.pstore.core.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;

/**
 * Reads every live entry of an index in one sequential pass over the log, from the earliest live entry on.
 * Which entries are live is marked first in a bitmap per generation (the index knows each live entry's
 * location), so the pass itself touches no hash table: it tests a bit and hands on the entry. A seek per
 * variable in hash order (what this replaced) made Chronicle remap its chunks over and over.
 */
final class LivePass {
    /** Receives each live entry, in log order, with its namespace (the index's own instance) and location. */
    interface Sink {
        void entry(Namespace namespace, long location, byte[] buf, int size);
    }

    private LivePass() {
    }

    /** Returns how many live entries were not met (or failed validation): 0 when all were read. */
    static int run(VariableLog log, VariableIndex index, byte[][] scratch, CRC32C crc, Sink sink) {
        int live = index.size();
        if (live == 0) {
            return 0;
        }
        Map<Integer, long[]> bits = new HashMap<>();
        List<Namespace> namespaces = new ArrayList<>();
        long first = Long.MAX_VALUE;
        for (int slot = index.nextOccupied(0); slot >= 0; slot = index.nextOccupied(slot + 1)) {
            long location = index.location(slot);
            first = Math.min(first, location);
            int cycle = LogFiles.ROLL_CYCLE.toCycle(location);
            long seq = LogFiles.ROLL_CYCLE.toSequenceNumber(location);
            long[] b = bits.get(cycle);
            int word = (int) (seq >>> 6);
            if (b == null || b.length <= word) {
                long[] grown = new long[Math.max(word + 1, b == null ? 1024 : b.length * 2)];
                if (b != null) {
                    System.arraycopy(b, 0, grown, 0, b.length);
                }
                bits.put(cycle, grown);
                b = grown;
            }
            b[word] |= 1L << seq;
            if (!namespaces.contains(index.namespace(slot))) {
                namespaces.add(index.namespace(slot));
            }
        }
        int met = 0;
        int cycle = Integer.MIN_VALUE;
        long[] b = null;
        try (VariableLog.Cursor cursor = log.cursor(first)) {
            for (int size; met < live && (size = cursor.next(scratch)) >= 0; ) {
                long location = cursor.location();
                if (cursor.generation() != cycle) {
                    cycle = cursor.generation();
                    b = bits.get(cycle);
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
                sink.entry(namespace(namespaces, EntryFormat.nsMsb(buf), EntryFormat.nsLsb(buf)), location, buf, size);
                met++;
            }
        }
        return live - met;
    }

    private static Namespace namespace(List<Namespace> namespaces, long msb, long lsb) {
        for (Namespace ns : namespaces) {
            if (ns.is(msb, lsb)) {
                return ns;
            }
        }
        return Namespace.of(msb, lsb);
    }
}
