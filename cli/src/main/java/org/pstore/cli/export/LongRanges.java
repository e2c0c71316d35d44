package org.pstore.cli.export;

import java.util.Map;
import java.util.TreeMap;

/**
 * A set of record ids kept as ranges, {@code 1000000001-1000000420,1000000500}: the ids of one run are
 * consecutive, so a cursor stays a few bytes per run however many records it has seen.
 */
final class LongRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>(); // first -> last, inclusive, never touching

    boolean contains(long v) {
        Map.Entry<Long, Long> e = ranges.floorEntry(v);
        return e != null && v <= e.getValue();
    }

    void add(long v) {
        if (contains(v)) {
            return;
        }
        long first = v;
        long last = v;
        Map.Entry<Long, Long> below = ranges.floorEntry(v);
        if (below != null && below.getValue() == v - 1) {
            first = below.getKey();
        }
        Map.Entry<Long, Long> above = ranges.ceilingEntry(v + 1);
        if (above != null && above.getKey() == v + 1) {
            last = above.getValue();
            ranges.remove(above.getKey());
        }
        ranges.put(first, last);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        ranges.forEach((first, last) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(first);
            if (!last.equals(first)) {
                sb.append('-').append(last);
            }
        });
        return sb.toString();
    }

    /** The inverse of {@link #toString()}; throws IllegalArgumentException on anything else. */
    static LongRanges parse(String text) {
        LongRanges r = new LongRanges();
        for (String part : text.split(",")) {
            int dash = part.indexOf('-');
            long first = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
            long last = dash < 0 ? first : Long.parseLong(part.substring(dash + 1));
            if (first < 0 || last < first || last - first > 10_000_000_000L) {
                throw new IllegalArgumentException("bad range " + part);
            }
            if (!r.ranges.isEmpty() && first <= r.ranges.lastEntry().getValue() + 1) {
                throw new IllegalArgumentException("ranges out of order at " + part);
            }
            r.ranges.put(first, last);
        }
        return r;
    }
}
