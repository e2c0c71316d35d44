package org.pstore.core;

/** What an acknowledged write survives. */
public enum Durability {
    /** The write is in the page cache (memory-mapped): it survives the process being killed, not power loss. */
    PROCESS,
    /** Every write is also flushed with msync before it is acknowledged: survives power loss as far as the device keeps its promises. Costs a disk flush per write. */
    POWER;

    public static Durability parse(String word) {
        for (Durability d : values()) {
            if (d.name().equalsIgnoreCase(word.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown durability '" + word + "' (expected process or power)");
    }
}
