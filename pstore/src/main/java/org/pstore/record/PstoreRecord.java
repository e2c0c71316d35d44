package org.pstore.record;

import java.time.Instant;
import java.util.UUID;

/**
 * One record as a post-mortem reader sees it: what the frame said, where it was found, and its pstorefs
 * name {@code <type>-<backend>-<id>}. The payload is read separately (it may be large).
 *
 * @param typeCode   the type number on disk ({@link #type()} is null for a number this version does not know)
 * @param reason     the dump reason code (0 when not a dump: pmsg, console)
 * @param compressed whether the payload is stored compressed
 * @param size       stored payload size in bytes
 * @param pid        the writing run's process id; 0 when unknown (as host and jvm are "" and bootId null)
 * @param location   where the record lives: a variable of the store, a panic-area slot, the journal, the quarantine
 * @param key        the location's own key: a variable name, a panic-area slot, a boot number
 * @param revision   the dump revision this part belongs to (0: a record made once; see {@link RecordFormat})
 * @param lastPart   whether this is the last part of its dump revision
 */
public record PstoreRecord(int typeCode, String backend, long id, Instant time, int reason, int count, int part,
                           boolean compressed, int size, UUID bootId, long pid, String host, String jvm,
                           Location location, String key, int revision, boolean lastPart) {

    /** A record made once (revision 0). */
    public PstoreRecord(int typeCode, String backend, long id, Instant time, int reason, int count, int part,
                        boolean compressed, int size, UUID bootId, long pid, String host, String jvm,
                        Location location, String key) {
        this(typeCode, backend, id, time, reason, count, part, compressed, size, bootId, pid, host, jvm, location, key,
                0, false);
    }

    public RecordType type() {
        return RecordType.ofCode(typeCode);
    }

    /** "dmesg", "console", "pmsg", or "type<N>" for a type this version does not know. */
    public String typeWord() {
        RecordType t = type();
        return t != null ? t.word() : "type" + typeCode;
    }

    /** The pstorefs name, e.g. {@code dmesg-efi-3000000007}. */
    public String name() {
        return typeWord() + "-" + backend + "-" + id;
    }

    public long bootNumber() {
        return RecordIds.bootOf(id);
    }

    /** This record with the run's identity (for records whose frame carries none: the console's). */
    public PstoreRecord withRun(UUID bootId, long pid, String host, String jvm) {
        return new PstoreRecord(typeCode, backend, id, time, reason, count, part, compressed, size, bootId, pid, host, jvm,
                location, key);
    }
}
