package org.pstore.core.store;

import org.pstore.core.Namespace;

/**
 * Where each live variable's latest entry sits in the log: an open-addressing hash table over parallel
 * arrays, with names kept as ASCII in one byte arena. Lookups, inserts and removals allocate nothing, which
 * is what lets a crash-time write update the index. Growth (a rebuild into larger arrays) happens only on
 * the normal path, which keeps the table at most half full so a panic always finds free slots.
 */
final class VariableIndex {
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = 1;
    /** Arena bytes the normal path keeps free for crash-time names. */
    static final int ARENA_HEADROOM = 32 * 128;

    private final long[] hashes;
    private final long[] locations;
    private final long[] costs;
    private final int[] dataLengths;
    private final int[] attributes;
    private final Namespace[] namespaces;
    private final int[] nameOffsets;
    private final int[] nameLengths;
    private final byte[] arena;
    private final int mask;
    private final long epoch;
    private int arenaUsed;
    private int arenaGarbage;
    private int size;
    private int tombstones;
    private long liveBytes;

    VariableIndex(int slots, int arenaBytes, long epoch) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.hashes = new long[slots];
        this.locations = new long[slots];
        this.costs = new long[slots];
        this.dataLengths = new int[slots];
        this.attributes = new int[slots];
        this.namespaces = new Namespace[slots];
        this.nameOffsets = new int[slots];
        this.nameLengths = new int[slots];
        this.arena = new byte[arenaBytes];
        this.mask = slots - 1;
        this.epoch = epoch;
    }

    static VariableIndex empty() {
        return new VariableIndex(1024, 64 << 10, 1);
    }

    static long hash(long msb, long lsb, CharSequence name) {
        long h = msb * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(lsb, 29);
        for (int i = 0, n = name.length(); i < n; i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h == EMPTY || h == TOMBSTONE ? h + 2 : h;
    }

    /** Hash of a name stored as ASCII in {@code buf} at {@code offset}; equals {@link #hash} of the same text. */
    static long hash(long msb, long lsb, byte[] buf, int offset, int length) {
        long h = msb * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(lsb, 29);
        for (int i = 0; i < length; i++) {
            h = (h ^ (buf[offset + i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h == EMPTY || h == TOMBSTONE ? h + 2 : h;
    }

    int find(long msb, long lsb, CharSequence name, long hash) {
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long h = hashes[i];
            if (h == EMPTY) {
                return -1;
            }
            if (h == hash && namespaces[i].is(msb, lsb) && nameEquals(i, name)) {
                return i;
            }
        }
    }

    int find(long msb, long lsb, byte[] buf, int offset, int length, long hash) {
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long h = hashes[i];
            if (h == EMPTY) {
                return -1;
            }
            if (h == hash && namespaces[i].is(msb, lsb) && nameEquals(i, buf, offset, length)) {
                return i;
            }
        }
    }

    /** Whether one more name of this length fits while keeping the table at most {@code percent}% full. */
    boolean fits(int nameLength, int percent, int arenaHeadroom) {
        return (long) (size + tombstones + 1) * 100 <= (long) hashes.length * percent
                && arenaUsed + nameLength + arenaHeadroom <= arena.length;
    }

    /** Inserts a name known to be absent. The caller checked {@link #fits}. */
    int insert(Namespace ns, CharSequence name, long hash, long location, int dataLength, int attrs, long cost) {
        int slot = freeSlot(hash);
        int n = name.length();
        for (int i = 0; i < n; i++) {
            arena[arenaUsed + i] = (byte) name.charAt(i);
        }
        place(slot, ns, hash, arenaUsed, n);
        arenaUsed += n;
        update(slot, location, dataLength, attrs, cost);
        return slot;
    }

    int insert(Namespace ns, byte[] buf, int offset, int length, long hash, long location, int dataLength, int attrs, long cost) {
        int slot = freeSlot(hash);
        System.arraycopy(buf, offset, arena, arenaUsed, length);
        place(slot, ns, hash, arenaUsed, length);
        arenaUsed += length;
        update(slot, location, dataLength, attrs, cost);
        return slot;
    }

    private int freeSlot(long hash) {
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long h = hashes[i];
            if (h == EMPTY || h == TOMBSTONE) {
                if (h == TOMBSTONE) {
                    tombstones--;
                }
                return i;
            }
        }
    }

    private void place(int slot, Namespace ns, long hash, int nameOffset, int nameLength) {
        hashes[slot] = hash;
        namespaces[slot] = ns;
        nameOffsets[slot] = nameOffset;
        nameLengths[slot] = nameLength;
        costs[slot] = 0;
        size++;
    }

    /** Points an existing slot at a newer entry. */
    void update(int slot, long location, int dataLength, int attrs, long cost) {
        liveBytes += cost - costs[slot];
        locations[slot] = location;
        dataLengths[slot] = dataLength;
        attributes[slot] = attrs;
        costs[slot] = cost;
    }

    void remove(int slot) {
        liveBytes -= costs[slot];
        arenaGarbage += nameLengths[slot];
        hashes[slot] = TOMBSTONE;
        namespaces[slot] = null;
        costs[slot] = 0;
        size--;
        tombstones++;
    }

    /** The first occupied slot at or after {@code from}, or -1. */
    int nextOccupied(int from) {
        for (int i = Math.max(0, from); i < hashes.length; i++) {
            if (occupied(i)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The live entries' log locations, ascending, into {@code locations}, and for each the slot it belongs
     * to in {@code slots} (both sized {@link #size()}). For reading live entries in one pass over the log.
     */
    void byLocation(long[] locations, int[] slots) {
        int k = 0;
        for (int i = 0; i < hashes.length; i++) {
            if (occupied(i)) {
                locations[k++] = this.locations[i];
            }
        }
        java.util.Arrays.sort(locations, 0, k);
        for (int i = 0; i < hashes.length; i++) {
            if (occupied(i)) {
                slots[java.util.Arrays.binarySearch(locations, 0, k, this.locations[i])] = i;
            }
        }
    }

    /** Appends the slot's name to {@code out} without allocating when {@code out} has the capacity. */
    void appendName(int slot, StringBuilder out) {
        int off = nameOffsets[slot];
        for (int i = 0, n = nameLengths[slot]; i < n; i++) {
            out.append((char) arena[off + i]);
        }
    }

    String name(int slot) {
        return new String(arena, nameOffsets[slot], nameLengths[slot], java.nio.charset.StandardCharsets.US_ASCII);
    }

    private boolean nameEquals(int slot, CharSequence name) {
        int n = nameLengths[slot];
        if (n != name.length()) {
            return false;
        }
        int off = nameOffsets[slot];
        for (int i = 0; i < n; i++) {
            if (arena[off + i] != (byte) name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean nameEquals(int slot, byte[] buf, int offset, int length) {
        return nameLengths[slot] == length
                && java.util.Arrays.equals(arena, nameOffsets[slot], nameOffsets[slot] + length, buf, offset, offset + length);
    }

    /** A larger copy (normal path only): live entries re-inserted, tombstones and arena garbage dropped. */
    VariableIndex rebuilt(int minSize) {
        int slots = hashes.length;
        while ((long) slots < (long) Math.max(minSize, size + 1) * 4) {
            slots <<= 1;
        }
        int liveNames = arenaUsed - arenaGarbage;
        int arenaBytes = arena.length;
        while (arenaBytes < liveNames * 2 + ARENA_HEADROOM * 2) {
            arenaBytes <<= 1;
        }
        VariableIndex copy = new VariableIndex(slots, arenaBytes, epoch + 1);
        for (int i = 0; i < hashes.length; i++) {
            if (occupied(i)) {
                copy.insert(namespaces[i], arena, nameOffsets[i], nameLengths[i], hashes[i],
                        locations[i], dataLengths[i], attributes[i], costs[i]);
            }
        }
        return copy;
    }

    /** Grows when a normal insert would leave the table more than half full or the arena short of headroom. */
    VariableIndex roomyFor(int nameLength) {
        return fits(nameLength, 50, ARENA_HEADROOM) ? this : rebuilt(size * 2);
    }

    boolean occupied(int slot) {
        long h = hashes[slot];
        return h != EMPTY && h != TOMBSTONE;
    }

    int slots() {
        return hashes.length;
    }

    long location(int slot) {
        return locations[slot];
    }

    int dataLength(int slot) {
        return dataLengths[slot];
    }

    int attributes(int slot) {
        return attributes[slot];
    }

    long cost(int slot) {
        return costs[slot];
    }

    Namespace namespace(int slot) {
        return namespaces[slot];
    }

    int size() {
        return size;
    }

    long liveBytes() {
        return liveBytes;
    }

    long epoch() {
        return epoch;
    }
}
