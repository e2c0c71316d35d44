package org.pstore.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.pstore.core.Attributes;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.core.ops.StoreLock;
import org.pstore.core.store.StoreView;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;

/**
 * The variable store as a location ({@code vars/}): dmesg parts, pmsg messages and healing notes are
 * variables of the dump namespace, named by {@link VariableNaming}. Opened writable (boot, or an eraser:
 * the store's runtime services, its writer lock held) or read-only (a {@link StoreView}: no lock, nothing
 * written). Its open validates and heals its own files (the core store's open, {@link StoreView}); here it
 * reads, erases, writes in normal operation ({@link #write}) and at crash time ({@link #panicWrite}).
 */
final class VariableZone {
    static final String DIR = "vars";
    /** What a record variable carries: a frame checks itself (its CRC32C), so the store does not checksum it again. */
    static final int FRAME = Attributes.DEFAULT | Attributes.SEALED;
    private static final String REHEARSAL = "pstore-rehearsal";

    private final RuntimeServices services;
    private final StoreView view;
    private final int bufferSize;

    private VariableZone(RuntimeServices services, StoreView view, int bufferSize) {
        this.services = services;
        this.view = view;
        this.bufferSize = bufferSize;
    }

    /** The writer's: the store's runtime services, open. */
    static VariableZone writable(RuntimeServices services, int bufferSize) {
        return new VariableZone(services, null, bufferSize);
    }

    /**
     * The writer's, opened: the store's runtime services on {@code vars} of the store directory {@code dir}
     * (the core store validates and salvages its files; what still fails to open is moved aside by the healer).
     */
    static VariableZone openWritable(Path dir, StoreConfig config, int bufferSize, Healer healer) {
        RuntimeServices services = healer.open(DIR, dir.resolve(DIR), () -> RuntimeServices.open(config));
        healer.note(DIR, services.health().healing());
        return writable(services, bufferSize);
    }

    /** The writer's runtime services (the ops tables, the worker); null for a reader. */
    RuntimeServices services() {
        return services;
    }

    /**
     * A reader's: the files of {@code vars} as they stand, when they are what they claim ({@code problem}
     * null); otherwise, or when they cannot be read, nothing, and {@code refused} says why.
     */
    static VariableZone readOnly(Path vars, String problem, List<String> refused) {
        StoreView view = null;
        if (problem != null) {
            refused.add(problem);
        } else if (StoreView.exists(vars)) {
            try {
                view = StoreView.open(vars);
            } catch (StoreException e) {
                refused.add("variable store " + vars + " unreadable: " + e.getMessage() + "; not read");
            }
        }
        return new VariableZone(null, view, 0);
    }

    boolean writable() {
        return services != null;
    }

    // ---- reading -------------------------------------------------------------------------------------

    /** Receives each variable of the dump namespace. */
    interface Visitor {
        void visit(CharSequence name, byte[] data, int offset, int length);
    }

    /** Every record variable, validated: a record that fails goes to {@code problems}, never to {@code records}. */
    void read(RecordFormat.Decoder decoder, Consumer<PstoreRecord> records, Consumer<String> problems) {
        List<PstoreRecord> found = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        forEach((name, data, offset, length) -> {
            if (!VariableNaming.isRecordName(name)) {
                return;
            }
            PstoreRecord r = EfiBackend.decode(decoder, data, offset, length, Location.STORE, name.toString());
            if (r == null) {
                bad.add("store variable " + name + ": record fails validation; skipped");
            } else {
                found.add(r);
            }
        }, problems);
        found.forEach(records);
        bad.forEach(problems);
    }

    void forEach(Visitor v, Consumer<String> problems) {
        if (view != null) {
            long unreadable = view.forEach((Namespace ns, CharSequence name, int attrs, byte[] data, int off, int len) -> {
                if (ns.equals(VariableNaming.DUMP)) {
                    v.visit(name, data, off, len);
                }
            });
            if (view.corruptEntries() > 0) {
                problems.accept(view.corruptEntries() + " damaged store entries skipped");
            }
            if (unreadable > 0) {
                problems.accept(unreadable + " store variables unreadable; skipped");
            }
            return;
        }
        if (services == null) {
            return;
        }
        VariableOps ops = services.ops();
        NameCursor cursor = new NameCursor();
        VariableBuffer buf = new VariableBuffer(bufferSize + RecordFormat.MAX_HEADER);
        List<String> names = new ArrayList<>();
        while (ops.nextName(cursor) == Status.OK) {
            if (cursor.namespace().equals(VariableNaming.DUMP)) {
                names.add(cursor.nameString());
            }
        }
        for (String name : names) {
            if (ops.get(VariableNaming.DUMP, name, buf) == Status.OK) {
                v.visit(name, buf.data(), 0, buf.length());
            }
        }
    }

    /** The frame of variable {@code name}, or null when it is gone. */
    byte[] frame(String name) {
        if (view == null && services == null) {
            return null;
        }
        VariableBuffer buf = new VariableBuffer(bufferSize + RecordFormat.MAX_HEADER);
        Status s = view != null ? view.get(VariableNaming.DUMP, name, buf) : services.ops().get(VariableNaming.DUMP, name, buf);
        return s == Status.OK ? buf.toByteArray() : null;
    }

    Status erase(String name) {
        return services == null ? Status.UNSUPPORTED : services.ops().set(VariableNaming.DUMP, name, 0, null, 0, 0);
    }

    // ---- writing -------------------------------------------------------------------------------------

    /** The ops table in force (pmsg retention writes through it). */
    VariableOps ops() {
        return services.ops();
    }

    /**
     * Whether a store operation has held the store's lock for more than {@link #STUCK_NANOS}: a normal dump
     * then goes the crash-time way rather than wait behind it. Not merely whether the lock is held: the worker
     * keeps it a moment after each caller's write, and any other write holds it for microseconds; a dump that
     * took those for a stuck store put its parts in the panic area, whose oldest slots, an earlier crash's
     * record among them, the next parts then overwrote. Nor only after that second: once the watchdog has
     * found the worker stuck (its timeout may be shorter), the lock it still holds is a stuck store at once,
     * and the watchdog's own oops must not wait an operation timeout for it.
     */
    boolean stuck() {
        StoreLock lock = services.lock();
        return lock.heldLongerThan(STUCK_NANOS) || (lock.held() && services.workerStuck());
    }

    /** A lock held this long is a stuck operation: operations take microseconds, a large compaction a fraction of this. */
    static final long STUCK_NANOS = 1_000_000_000L;

    /** A normal write of a record frame (a dump part, a healing note). */
    Status write(RecordWrite w) {
        StringBuilder name = VariableNaming.format(w.name, w.type.code(), w.part, w.count, w.id, w.compressed);
        Status s = services.ops().set(VariableNaming.DUMP, name, FRAME, w.frame, 0, w.length);
        w.storeStatus = s;
        if (s.ok()) {
            w.placed = Location.STORE;
        }
        return s;
    }

    /**
     * The crash-time write: the legacy ops, non-blocking, from the panicking thread. Never throws: a store
     * that fails in any way (an Error included) says DEVICE_ERROR, and the record goes elsewhere.
     */
    Status panicWrite(RecordWrite w) {
        Status s;
        try {
            StringBuilder name = VariableNaming.format(w.name, w.type.code(), w.part, w.count, w.id, w.compressed);
            s = services.legacyOps().setNonBlocking(VariableNaming.DUMP, name, FRAME, w.frame, 0, w.length);
        } catch (Throwable storeFailed) {
            s = Status.DEVICE_ERROR;
        }
        w.storeStatus = s;
        if (s.ok()) {
            w.placed = Location.STORE;
        }
        return s;
    }

    /** The crash-time write once, keeping nothing. */
    void rehearse(RecordWrite w) {
        // the name is formatted as a crash would format it, then replaced: the rehearsal keeps nothing
        VariableNaming.format(w.name, w.type.code(), w.part, w.count, w.id, w.compressed);
        w.name.setLength(0);
        w.name.append(REHEARSAL);
        services.legacyOps().setNonBlocking(VariableNaming.DUMP, w.name, FRAME, w.frame, 0, w.length);
        services.ops().set(VariableNaming.DUMP, REHEARSAL, 0, null, 0, 0);
    }

    void close() {
        if (view != null) {
            view.close();
        }
    }
}
