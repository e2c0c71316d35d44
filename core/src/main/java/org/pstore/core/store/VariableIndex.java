package org.pstore.core.store;

import org.pstore.core.Namespace;

/**
 * Where each live variable's latest entry sits in the log: an open-addressing hash table (linear probing)
 * with names kept as ASCII in one byte arena. A slot is four longs side by side in one array — hash,
 * location, data length and attributes, name offset, name length and namespace number — so a lookup or an
 * insert touches one cache line, not one per field. Lookups, inserts and removals allocate nothing, which is
 * what lets a crash-time write update the index. Growth (a rebuild into a larger table) happens only on the
 * normal path, which keeps the table at most half full so a panic always finds free slots.
 */
final class VariableIndex {
    private static final long EMPTY = 0;
    private static final long TOMBSTONE = 1;
    private static final int STRIDE = 4;
    private static final int HASH = 0;
    private static final int LOCATION = 1;
    /** data length in the high half, attributes in the low half. */
    private static final int DATA = 2;
    /** name offset in the high half, then 16 bits of name length, then 16 bits of namespace number. */
    private static final int NAME = 3;
    /** Arena bytes the normal path keeps free for crash-time names. */
    static final int ARENA_HEADROOM = 32 * 128;
    /** Namespaces the crash-time path may still add without allocating. */
    private static final int NAMESPACE_HEADROOM = 4;

    private final long[] table;
    private final byte[] arena;
    private final int mask;
    private long epoch;
    /**
     * A table of the same store that nobody reads any more (the one this index was rebuilt from): the next
     * rebuild or compaction of the same dimensions fills it again instead of allocating, so that a store in
     * its steady state (writes, erases, compactions) allocates nothing for its index. At most one is kept.
     */
    private VariableIndex spare;
    private Namespace[] namespaces;
    private int namespaceCount;
    private int lastNamespace;
    private int arenaUsed;
    private int arenaGarbage;
    private int size;
    private int tombstones;
    private long liveBytes;

    VariableIndex(int slots, int arenaBytes, long epoch) {
        this(slots, arenaBytes, epoch, new Namespace[16], 0);
    }

    private VariableIndex(int slots, int arenaBytes, long epoch, Namespace[] namespaces, int namespaceCount) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.table = new long[slots * STRIDE];
        this.arena = new byte[arenaBytes];
        this.mask = slots - 1;
        this.epoch = epoch;
        this.namespaces = namespaces;
        this.namespaceCount = namespaceCount;
    }

    static VariableIndex empty() {
        return new VariableIndex(1024, 64 << 10, 1);
    }

    /** An empty index with room for about {@code expected} variables without growing. */
    static VariableIndex sized(long expected) {
        long n = Math.min(Math.max(expected, 256), 1L << 26);
        int slots = Integer.highestOneBit((int) Math.min(1 << 30, n * 2 + 1)) << 1; // at most half full
        int arena = (int) Math.min(1 << 30, Math.max(64 << 10, n * 32 + ARENA_HEADROOM));
        return new VariableIndex(slots, arena, 1);
    }

    static long hash(long msb, long lsb, CharSequence name) {
        long h = msb * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(lsb, 29);
        for (int i = 0, n = name.length(); i < n; i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return finish(h);
    }

    /** Hash of a name stored as ASCII in {@code buf} at {@code offset}; equals {@link #hash} of the same text. */
    static long hash(long msb, long lsb, byte[] buf, int offset, int length) {
        long h = msb * 0x9E3779B97F4A7C15L ^ Long.rotateLeft(lsb, 29);
        for (int i = 0; i < length; i++) {
            h = (h ^ (buf[offset + i] & 0xFF)) * 0x100000001B3L;
        }
        return finish(h);
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h == EMPTY || h == TOMBSTONE ? h + 2 : h;
    }

    int find(long msb, long lsb, CharSequence name, long hash) {
        int p = probe(msb, lsb, name, hash);
        return p >= 0 ? p : -1;
    }

    /** As {@link #probe(long, long, byte[], int, int, long)} for a name given as characters. */
    int probe(long msb, long lsb, CharSequence name, long hash) {
        int free = -1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long h = table[i * STRIDE + HASH];
            if (h == EMPTY) {
                return -((free >= 0 ? free : i) + 1);
            }
            if (h == TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (h == hash && namespace(i).is(msb, lsb) && nameEquals(i, name)) {
                return i;
            }
        }
    }

    int find(long msb, long lsb, byte[] buf, int offset, int length, long hash) {
        int p = probe(msb, lsb, buf, offset, length, hash);
        return p >= 0 ? p : -1;
    }

    /**
     * One probe for "update or insert": the slot holding the name (&gt;= 0), or {@code -(slot + 1)} for the
     * free slot where it would go. The caller checked {@link #fits} before, so an insert needs no second probe.
     */
    int probe(long msb, long lsb, byte[] buf, int offset, int length, long hash) {
        int free = -1;
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long h = table[i * STRIDE + HASH];
            if (h == EMPTY) {
                return -((free >= 0 ? free : i) + 1);
            }
            if (h == TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (h == hash && namespace(i).is(msb, lsb) && nameEquals(i, buf, offset, length)) {
                return i;
            }
        }
    }

    /** Whether one more name of this length fits while keeping the table at most {@code percent}% full. */
    boolean fits(int nameLength, int percent, int arenaHeadroom) {
        return (long) (size + tombstones + 1) * 100 <= (long) (mask + 1) * percent
                && arenaUsed + nameLength + arenaHeadroom <= arena.length;
    }

    int insert(Namespace ns, byte[] buf, int offset, int length, long hash, long location, int dataLength, int attrs) {
        return insertAt(freeSlot(hash), ns, buf, offset, length, hash, location, dataLength, attrs);
    }

    /** Inserts at a free slot found by {@link #probe}. */
    int insertAt(int slot, Namespace ns, byte[] buf, int offset, int length, long hash, long location, int dataLength, int attrs) {
        System.arraycopy(buf, offset, arena, arenaUsed, length);
        place(slot, ns, hash, length);
        update(slot, location, dataLength, attrs);
        return slot;
    }

    private int freeSlot(long hash) {
        for (int i = (int) hash & mask; ; i = (i + 1) & mask) {
            long h = table[i * STRIDE + HASH];
            if (h == EMPTY || h == TOMBSTONE) {
                return i;
            }
        }
    }

    /** Takes a free slot for a name just copied to the end of the arena. */
    private void place(int slot, Namespace ns, long hash, int nameLength) {
        int b = slot * STRIDE;
        if (table[b + HASH] == TOMBSTONE) {
            tombstones--;
        }
        table[b + HASH] = hash;
        table[b + NAME] = (long) arenaUsed << 32 | (long) nameLength << 16 | namespaceNumber(ns);
        table[b + DATA] = 0;
        table[b + LOCATION] = 0;
        arenaUsed += nameLength;
        size++;
    }

    /** The namespace's number in this index; new ones are added (never more than the array holds at crash time). */
    private int namespaceNumber(Namespace ns) {
        if (namespaceCount > lastNamespace && namespaces[lastNamespace] == ns) {
            return lastNamespace;
        }
        for (int i = 0; i < namespaceCount; i++) {
            if (namespaces[i] == ns || namespaces[i].equals(ns)) {
                lastNamespace = i;
                return i;
            }
        }
        namespaces[namespaceCount] = ns;
        lastNamespace = namespaceCount;
        return namespaceCount++;
    }

    /** Points an existing slot at a newer entry. */
    void update(int slot, long location, int dataLength, int attrs) {
        int b = slot * STRIDE;
        liveBytes += EntryFormat.cost(nameLength(b), dataLength) - cost(slot);
        table[b + LOCATION] = location;
        table[b + DATA] = (long) dataLength << 32 | (attrs & 0xFFFFFFFFL);
    }

    void remove(int slot) {
        int b = slot * STRIDE;
        liveBytes -= cost(slot);
        arenaGarbage += nameLength(b);
        table[b + HASH] = TOMBSTONE;
        table[b + DATA] = 0;
        size--;
        tombstones++;
    }

    /** The first occupied slot at or after {@code from}, or -1. */
    int nextOccupied(int from) {
        for (int i = Math.max(0, from); i <= mask; i++) {
            if (occupied(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Appends the slot's name to {@code out} without allocating when {@code out} has the capacity. */
    void appendName(int slot, StringBuilder out) {
        int b = slot * STRIDE;
        int off = nameOffset(b);
        for (int i = 0, n = nameLength(b); i < n; i++) {
            out.append((char) arena[off + i]);
        }
    }

    String name(int slot) {
        int b = slot * STRIDE;
        return new String(arena, nameOffset(b), nameLength(b), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private boolean nameEquals(int slot, CharSequence name) {
        int b = slot * STRIDE;
        int n = nameLength(b);
        if (n != name.length()) {
            return false;
        }
        int off = nameOffset(b);
        for (int i = 0; i < n; i++) {
            if (arena[off + i] != (byte) name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean nameEquals(int slot, byte[] buf, int offset, int length) {
        int b = slot * STRIDE;
        int off = nameOffset(b);
        return nameLength(b) == length && java.util.Arrays.equals(arena, off, off + length, buf, offset, offset + length);
    }

    /**
     * A copy with room (normal path only): live entries re-inserted, tombstones and arena garbage dropped, in
     * a larger table when needed. Of the same dimensions, it reuses the spare; this index becomes the spare.
     */
    VariableIndex rebuilt(int minSize) {
        int slots = mask + 1;
        while ((long) slots < (long) Math.max(minSize, size + 1) * 4) {
            slots <<= 1;
        }
        int liveNames = arenaUsed - arenaGarbage;
        int arenaBytes = arena.length;
        while (arenaBytes < liveNames * 2 + ARENA_HEADROOM * 2) {
            arenaBytes <<= 1;
        }
        VariableIndex copy = blank(slots, arenaBytes);
        for (int i = 0; i <= mask; i++) {
            if (occupied(i)) {
                int b = i * STRIDE;
                long dataWord = table[b + DATA];
                copy.insert(namespace(i), arena, nameOffset(b), nameLength(b), table[b + HASH], table[b + LOCATION],
                        (int) (dataWord >>> 32), (int) dataWord);
            }
        }
        copy.keepSpare(this);
        return copy;
    }

    /**
     * An empty index of the next epoch with this one's dimensions and namespaces, for a compaction to fill
     * while this one is still read: the spare when there is one (taken, so that it can never be this index).
     * Once the compaction is done, {@link #keepSpare} on the new index keeps this one for the next time.
     */
    VariableIndex blankForCompaction() {
        return blank(mask + 1, arena.length);
    }

    /** Keeps {@code old}, which nobody reads any more, as the table the next rebuild of this size fills. */
    void keepSpare(VariableIndex old) {
        if (old != this) {
            old.spare = null;
            spare = old;
        }
    }

    /** An empty index of the next epoch: the spare, cleared, when it has these dimensions; a new one otherwise. */
    private VariableIndex blank(int slots, int arenaBytes) {
        int namespacesWanted = Math.max(namespaces.length, namespaceCount + 2 * NAMESPACE_HEADROOM);
        VariableIndex s = spare;
        spare = null;
        if (s == null || s.mask + 1 != slots || s.arena.length != arenaBytes || s.namespaces.length < namespacesWanted) {
            return new VariableIndex(slots, arenaBytes, epoch + 1, java.util.Arrays.copyOf(namespaces, namespacesWanted), namespaceCount);
        }
        java.util.Arrays.fill(s.table, EMPTY);
        System.arraycopy(namespaces, 0, s.namespaces, 0, namespaceCount);
        s.namespaceCount = namespaceCount;
        s.lastNamespace = 0;
        s.arenaUsed = 0;
        s.arenaGarbage = 0;
        s.size = 0;
        s.tombstones = 0;
        s.liveBytes = 0;
        s.epoch = epoch + 1;
        return s;
    }

    /**
     * Grows when a normal insert would leave the table more than half full, the arena short of headroom, or
     * no namespace number spare for a crash-time insert.
     */
    VariableIndex roomyFor(int nameLength) {
        boolean namespacesSpare = namespaceCount + NAMESPACE_HEADROOM <= namespaces.length;
        return fits(nameLength, 50, ARENA_HEADROOM) && namespacesSpare ? this : rebuilt(size + 1);
    }

    /** Crash time: whether an insert can go ahead without growing anything. */
    boolean fitsAtCrash(int nameLength) {
        return fits(nameLength, 75, 0) && namespaceCount < namespaces.length;
    }

    boolean occupied(int slot) {
        long h = table[slot * STRIDE + HASH];
        return h != EMPTY && h != TOMBSTONE;
    }

    int slots() {
        return mask + 1;
    }

    long location(int slot) {
        return table[slot * STRIDE + LOCATION];
    }

    int dataLength(int slot) {
        return (int) (table[slot * STRIDE + DATA] >>> 32);
    }

    int attributes(int slot) {
        return (int) table[slot * STRIDE + DATA];
    }

    /** What the slot's entry costs in the log (0 for a slot whose entry is not set yet). */
    long cost(int slot) {
        int b = slot * STRIDE;
        return table[b + DATA] == 0 ? 0 : EntryFormat.cost(nameLength(b), dataLength(slot)); // a set always has data
    }

    Namespace namespace(int slot) {
        return namespaces[(int) (table[slot * STRIDE + NAME] & 0xFFFF)];
    }

    private int nameOffset(int base) {
        return (int) (table[base + NAME] >>> 32);
    }

    private int nameLength(int base) {
        return (int) (table[base + NAME] >>> 16) & 0xFFFF;
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
