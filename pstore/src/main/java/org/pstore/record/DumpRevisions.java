package org.pstore.record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A panic is dumped twice (revision 1: the cause and the log tail, written before anything needs heap;
 * revision 2: the whole report). Readers show one revision of each dump: the highest whose last part is
 * there (a whole one), or, when none is whole, the highest present. The others are superseded: hidden
 * from readers and erased by the next writer boot.
 */
public final class DumpRevisions {
    private DumpRevisions() {
    }

    /** The records a reader shows, in the order given. */
    public static List<PstoreRecord> shown(List<PstoreRecord> records) {
        return split(records, true);
    }

    /** The parts of dump revisions that another revision of the same dump supersedes. */
    public static List<PstoreRecord> superseded(List<PstoreRecord> records) {
        return split(records, false);
    }

    private static List<PstoreRecord> split(List<PstoreRecord> records, boolean shown) {
        Map<Key, Integer> chosen = chosen(records);
        List<PstoreRecord> out = new ArrayList<>();
        for (PstoreRecord r : records) {
            Integer revision = r.revision() == 0 ? null : chosen.get(Key.of(r));
            boolean keep = revision == null || revision == r.revision();
            if (keep == shown) {
                out.add(r);
            }
        }
        return out;
    }

    /** Per dump: the revision to show. */
    private static Map<Key, Integer> chosen(List<PstoreRecord> records) {
        Map<Key, int[]> seen = new HashMap<>(); // {highest present, highest whole}
        for (PstoreRecord r : records) {
            if (r.revision() == 0) {
                continue;
            }
            int[] s = seen.computeIfAbsent(Key.of(r), k -> new int[] {0, 0});
            s[0] = Math.max(s[0], r.revision());
            if (r.lastPart()) {
                s[1] = Math.max(s[1], r.revision());
            }
        }
        Map<Key, Integer> chosen = new HashMap<>();
        seen.forEach((k, s) -> chosen.put(k, s[1] > 0 ? s[1] : s[0]));
        return chosen;
    }

    /** One dump: the run that wrote it, its reason and its count (Panic#N). */
    private record Key(long boot, int type, int reason, int count) {
        static Key of(PstoreRecord r) {
            return new Key(r.bootNumber(), r.typeCode(), r.reason(), r.count());
        }
    }
}
