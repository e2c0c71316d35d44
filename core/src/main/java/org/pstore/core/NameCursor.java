package org.pstore.core;

/**
 * The iteration state of {@link VariableOps#nextName}, as EFI's GetNextVariableName: start with a fresh (or
 * {@link #reset()}) cursor; each OK call moves it to the next variable; NOT_FOUND means the end.
 * Changing the store while iterating is allowed; a cursor whose variable was deleted gets INVALID.
 */
public final class NameCursor {
    private final StringBuilder name = new StringBuilder(VariableNames.MAX_LENGTH);
    private Namespace namespace;
    private int slot = -1;
    private long epoch;

    public CharSequence name() {
        return name;
    }

    public String nameString() {
        return name.toString();
    }

    public Namespace namespace() {
        return namespace;
    }

    public boolean started() {
        return namespace != null;
    }

    public void reset() {
        name.setLength(0);
        namespace = null;
        slot = -1;
        epoch = 0;
    }

    /** For stores: where the cursor stands (slot and layout epoch are the store's own hints). */
    public StringBuilder nameBuffer() {
        return name;
    }

    public void moveTo(Namespace namespace, int slot, long epoch) {
        this.namespace = namespace;
        this.slot = slot;
        this.epoch = epoch;
    }

    public int slot() {
        return slot;
    }

    public long epoch() {
        return epoch;
    }

    /** Copies another cursor's position (ops tables hand cursors across threads). */
    public void copyFrom(NameCursor other) {
        name.setLength(0);
        name.append(other.name);
        namespace = other.namespace;
        slot = other.slot;
        epoch = other.epoch;
    }
}
