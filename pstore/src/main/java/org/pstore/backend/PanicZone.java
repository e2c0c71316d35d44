package org.pstore.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;

/**
 * The panic area as a location ({@code panic.area}, and areas moved aside): writable at boot (the
 * {@link PanicArea} mapped and touched; its open moves an area that is not what this configuration makes
 * into the quarantine), read-only for a reader (each file checked before it is read). Its only write is
 * the crash-time one: a copy into a slot of its own, no lock, nothing to wait for.
 */
final class PanicZone {
    private final Path dir;
    private final PanicArea area;

    PanicZone(Path dir, PanicArea area) {
        this.dir = dir;
        this.area = area;
    }

    /** The writer's: the area mapped and touched, one that is not what this configuration makes moved aside first. */
    static PanicZone openWritable(Path dir, int frameSize, int slots, Durability durability, Healer healer) {
        return new PanicZone(dir, PanicArea.openWritable(dir, frameSize, slots, durability, healer.healed()));
    }

    /** The writer's area; null for a reader or an eraser. */
    PanicArea area() {
        return area;
    }

    void read(RecordFormat.Decoder decoder, Consumer<PstoreRecord> records, Consumer<String> problems) {
        PanicArea.read(dir, stored -> {
            String key = stored.file().getFileName() + ":" + stored.slot();
            PstoreRecord r = decode(decoder, stored, Location.PANIC_AREA, key);
            if (r == null) {
                problems.accept("panic area " + key + ": record fails validation; skipped");
            } else {
                records.accept(r);
            }
        }, problems);
    }

    /**
     * The record in an area slot, or null when its frame fails validation or the slot's own header names
     * another record: a slot is read back by that header ({@link PanicArea#read(Path, int, long)}), so a
     * record it does not match would be listed and then unreadable.
     */
    static PstoreRecord decode(RecordFormat.Decoder decoder, PanicArea.Stored stored, Location location, String key) {
        PstoreRecord r = EfiBackend.decode(decoder, stored.frame(), 0, stored.frame().length, location, key);
        return r != null && r.id() == stored.id() ? r : null;
    }

    byte[] frame(PstoreRecord record) {
        String key = record.key();
        int colon = key.lastIndexOf(':');
        try {
            return PanicArea.read(dir.resolve(key.substring(0, colon)), Integer.parseInt(key.substring(colon + 1)), record.id());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Frees the record's slot (the caller holds the store's writer lock). */
    Status erase(PstoreRecord record) throws IOException {
        String key = record.key();
        int colon = key.lastIndexOf(':');
        Path file = dir.resolve(key.substring(0, colon));
        return area != null && file.equals(area.file()) ? area.erase(record.id())
                : PanicArea.erase(file, Integer.parseInt(key.substring(colon + 1)), record.id());
    }

    /** The crash-time write: the frame into the next slot. Allocation-free, lock-free. */
    boolean panicWrite(RecordWrite w) {
        if (area != null && area.write(w.id, w.frame, w.length)) {
            w.placed = Location.PANIC_AREA;
            return true;
        }
        return false;
    }

    void rehearse(RecordWrite w) {
        area.write(w.id, w.frame, w.length);
        area.erase(w.id);
    }
}
