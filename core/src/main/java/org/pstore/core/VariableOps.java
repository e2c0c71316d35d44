package org.pstore.core;

/**
 * The ops table: what a registered variable service offers, in the manner of Linux's
 * {@code struct efivar_operations}. Two implementations exist: the interruptible worker, and the legacy
 * synchronous calls used at panic time. Errors are {@link Status} values, never exceptions, so callers on
 * the panic path can handle them without allocating.
 */
public interface VariableOps {

    /** Reads a variable into {@code out}. NOT_FOUND when absent. */
    Status get(Namespace namespace, CharSequence name, VariableBuffer out);

    /** Moves {@code cursor} to the next variable; NOT_FOUND at the end. */
    Status nextName(NameCursor cursor);

    /**
     * Writes a variable, replacing any previous value. Zero-length data deletes it (NOT_FOUND if absent).
     * May wait for the store lock; refuses (OUT_OF_RESOURCES) to eat the reserve kept for crash records.
     */
    Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length);

    /**
     * The crash-time write: never waits (a held lock is BUSY), never compacts, may use the reserve, and
     * allocates nothing. UNSUPPORTED through the worker, as in the reference design.
     */
    Status setNonBlocking(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length);

    /** Fills {@code out} with the store's space figures. */
    Status query(StoreSpace out);

    /** "interruptible" or "legacy". */
    String name();
}
