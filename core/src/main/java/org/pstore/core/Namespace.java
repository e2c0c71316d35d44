package org.pstore.core;

import java.util.Objects;
import java.util.UUID;

/**
 * The namespace half of a variable's key, the EFI vendor GUID. Two namespaces are equal when their ids are;
 * the label is for people only. Create namespaces once, at boot, and pass the same instance on every call.
 */
public final class Namespace {
    private final long msb;
    private final long lsb;
    private final String label;

    private Namespace(long msb, long lsb, String label) {
        this.msb = msb;
        this.lsb = lsb;
        this.label = label;
    }

    public static Namespace of(UUID id, String label) {
        return new Namespace(id.getMostSignificantBits(), id.getLeastSignificantBits(), Objects.requireNonNull(label, "label"));
    }

    /** A namespace read back from storage, whose label is not stored: the label is the id. */
    public static Namespace of(long msb, long lsb) {
        return new Namespace(msb, lsb, new UUID(msb, lsb).toString());
    }

    public long msb() {
        return msb;
    }

    public long lsb() {
        return lsb;
    }

    public boolean is(long msb, long lsb) {
        return this.msb == msb && this.lsb == lsb;
    }

    public UUID id() {
        return new UUID(msb, lsb);
    }

    public String label() {
        return label;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Namespace && ((Namespace) o).is(msb, lsb);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msb * 31 + lsb);
    }

    @Override
    public String toString() {
        return label;
    }
}
