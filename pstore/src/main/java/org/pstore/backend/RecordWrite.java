package org.pstore.backend;

import org.pstore.record.Location;
import org.pstore.record.RecordType;

/**
 * One record handed to a backend: its sealed frame and the fields a backend names it by. A reusable,
 * caller-owned holder, so the crash-time path allocates nothing and shares nothing (it even carries the
 * buffer the backend builds the record's name in). After the write, {@link #placed()} says where it went
 * and {@link #storeStatus()} what the store said.
 */
public final class RecordWrite {
    RecordType type;
    int part;
    int count;
    long id;
    boolean compressed;
    byte[] frame;
    int length;
    Location placed = Location.NOWHERE;
    /** Scratch for the backend: the record's name in its storage. */
    final StringBuilder name = new StringBuilder(96);
    org.pstore.core.Status storeStatus = org.pstore.core.Status.OK;

    public RecordWrite set(RecordType type, int part, int count, long id, boolean compressed, byte[] frame, int length) {
        this.type = type;
        this.part = part;
        this.count = count;
        this.id = id;
        this.compressed = compressed;
        this.frame = frame;
        this.length = length;
        this.placed = Location.NOWHERE;
        this.storeStatus = org.pstore.core.Status.OK;
        return this;
    }

    public RecordType type() {
        return type;
    }

    public long id() {
        return id;
    }

    public int part() {
        return part;
    }

    /** Where it went: the store, the panic area, the journal, or nowhere. */
    public Location placed() {
        return placed;
    }

    public org.pstore.core.Status storeStatus() {
        return storeStatus;
    }
}
