package org.pstore.reader;

/**
 * Space as a reader can tell it. Capacity and reserve are the writer's settings at its last boot (-1 when
 * unknown); used and live come from the log itself.
 *
 * @param capacity    bytes the variable store may use
 * @param reserve     bytes kept for crash records
 * @param used        bytes the variable store's log holds now (live and not yet reclaimed)
 * @param live        bytes of current variables
 * @param panicArea   bytes of the panic area file(s)
 * @param journal     bytes of the console journal files
 */
public record Space(long capacity, long reserve, long used, long live, long panicArea, long journal) {
    /** Free for normal writes once reclaimable bytes are reclaimed (-1 when capacity is unknown). */
    public long free() {
        return capacity < 0 ? -1 : Math.max(0, capacity - reserve - live);
    }
}
