package org.pstore.core;

/**
 * The outcome of a store operation: a small, closed set in the manner of EFI_STATUS.
 * Enum constants are preallocated, so returning one never allocates (the panic path relies on it).
 */
public enum Status {
    /** The operation completed. */
    OK("ok"),
    /** No variable with that namespace and name. */
    NOT_FOUND("variable not found"),
    /** The store lock is held, or a timed wait for it expired (EFI_NOT_READY). */
    BUSY("store busy"),
    /** The waiting caller was interrupted; the operation may still complete (EFI_ABORTED). */
    ABORTED("aborted by interrupt"),
    /** Not enough space outside the reserve, or no room left in the index. */
    OUT_OF_RESOURCES("out of resources"),
    /** Ill-formed name, data over the largest variable size, or a bad argument. */
    INVALID("invalid parameter"),
    /** This ops table does not offer the operation (set non-blocking through the worker). */
    UNSUPPORTED("unsupported"),
    /** The storage underneath failed. */
    DEVICE_ERROR("device error");

    private final String description;

    Status(String description) {
        this.description = description;
    }

    public boolean ok() {
        return this == OK;
    }

    /** A few lower-case words for messages, e.g. "store busy". */
    public String description() {
        return description;
    }
}
