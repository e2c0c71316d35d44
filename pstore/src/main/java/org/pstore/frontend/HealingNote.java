package org.pstore.frontend;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

import org.pstore.backend.Backend;
import org.pstore.backend.RecordWrite;
import org.pstore.core.Status;
import org.pstore.record.Identity;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The record a boot leaves when it healed the store: one line per thing found damaged and what was done
 * (which file went into the quarantine, and why). The reader lists it like any record, so damage is never
 * healed silently.
 */
public final class HealingNote {
    private HealingNote() {
    }

    /** Writes the note; its status (a note the store refuses is also in the console journal, via the ring). */
    public static Status write(Backend backend, Identity identity, RecordIds ids, int maxRecord, long boot, List<String> healed) {
        StringBuilder text = new StringBuilder("boot ").append(boot).append(" healed the store:\n");
        for (String h : healed) {
            text.append("- ").append(h).append('\n');
        }
        byte[] payload = text.toString().getBytes(StandardCharsets.UTF_8);
        int at = RecordFormat.headerLength(identity);
        int length = Math.min(payload.length, Math.max(0, maxRecord - at));
        byte[] frame = new byte[at + length];
        System.arraycopy(payload, 0, frame, at, length);
        long id = ids.nextNormal();
        if (id < 0) {
            return Status.OUT_OF_RESOURCES;
        }
        int size = RecordFormat.seal(frame, identity, RecordType.HEALING, 0, false, 0, 0, id, System.currentTimeMillis(), length, new CRC32C());
        return backend.write(new RecordWrite().set(RecordType.HEALING, 0, 0, id, false, frame, size));
    }
}
