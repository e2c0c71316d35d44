package org.pstore.core;

/**
 * Caller-owned output of {@link VariableOps#query}, as EFI's QueryVariableInfo, with the reserve and the
 * reclaimable bytes spelled out. All sizes in bytes; "used" counts what the log holds now, live and dead.
 */
public final class StoreSpace {
    private long capacity;
    private long used;
    private long live;
    private long reserve;
    private long maxVariableSize;
    private long entryOverhead;
    private int variables;

    /** For stores. */
    public void set(long capacity, long used, long live, long reserve, long maxVariableSize, long entryOverhead, int variables) {
        this.capacity = capacity;
        this.used = used;
        this.live = live;
        this.reserve = reserve;
        this.maxVariableSize = maxVariableSize;
        this.entryOverhead = entryOverhead;
        this.variables = variables;
    }

    public void copyFrom(StoreSpace o) {
        set(o.capacity, o.used, o.live, o.reserve, o.maxVariableSize, o.entryOverhead, o.variables);
    }

    /** Total storage (MaximumVariableStorageSize). */
    public long capacity() {
        return capacity;
    }

    /** Bytes the log holds now, including replaced and deleted data not yet reclaimed. */
    public long used() {
        return used;
    }

    /** Bytes held by the current variables. */
    public long live() {
        return live;
    }

    /** Bytes kept for the crash record: normal writes never eat into them. */
    public long reserve() {
        return reserve;
    }

    public int variables() {
        return variables;
    }

    /** What can be appended before compaction (RemainingVariableStorageSize). */
    public long remaining() {
        return Math.max(0, capacity - used);
    }

    /** Bytes a compaction would give back. */
    public long reclaimable() {
        return Math.max(0, used - live);
    }

    /** Free space for normal writes once reclaimable bytes are reclaimed. */
    public long free() {
        return Math.max(0, capacity - reserve - live);
    }

    /** The largest variable a normal set can write now (MaximumVariableSize, bounded by free space). */
    public long largestVariable() {
        return Math.max(0, Math.min(maxVariableSize, free() - entryOverhead - VariableNames.MAX_LENGTH));
    }

    /** The configured ceiling of one variable's data. */
    public long maxVariableSize() {
        return maxVariableSize;
    }
}
