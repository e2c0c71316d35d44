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
     * Erases the variables {@code eraseFirst} names (absent ones are skipped) and then writes a variable, as
     * one operation: the erases are one log entry, and through the worker the whole is one request. The
     * write's status is returned; the erases may have happened even when the write then fails.
     */
    default Status set(Namespace namespace, CharSequence name, int attributes, byte[] data, int offset, int length,
                       NameBatch eraseFirst) {
        for (int i = 0; i < eraseFirst.count(); i++) {
            Status s = set(namespace, eraseFirst.name(i), 0, null, 0, 0);
            if (!s.ok() && s != Status.NOT_FOUND) {
                return s;
            }
        }
        return set(namespace, name, attributes, data, offset, length);
    }

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
