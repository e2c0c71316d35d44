package org.pstore.backend;

import java.util.Set;
import java.util.function.Consumer;

import org.pstore.core.Status;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * Where records are kept: the SPI, in the spirit of Linux's {@code struct pstore_info}. A backend says
 * which frontends it serves and how large one dump part may be; it writes records (at crash time from the
 * panicking thread: never blocking, never allocating), lists what it holds, reads payloads back, and erases.
 */
public interface Backend {
    /** Short name used in record names, e.g. "efi" in {@code dmesg-efi-3000000001}. */
    String name();

    /** The frontends (record types) this backend serves. */
    Set<RecordType> frontends();

    /** The largest payload of one dmesg part, in bytes (pstore_info.bufsize). */
    int bufferSize();

    /** Writes one record in normal operation (it may wait for the store, within its operation timeout). */
    Status write(RecordWrite record);

    /**
     * Writes one record from the panicking thread (pstore_zone's {@code panic_write}): it must not block, wait
     * for another thread or allocate, and must not lose the record for a held lock either.
     */
    Status panicWrite(RecordWrite record);

    /** Lists every record held (metadata only), in no particular order; problems go to {@code problems}. */
    void read(Consumer<PstoreRecord> records, Consumer<String> problems);

    /** The payload as stored (possibly compressed), or null when the record is gone. */
    byte[] payload(PstoreRecord record);

    /** Erases one record; NOT_FOUND when it is already gone. */
    Status erase(PstoreRecord record);

    /**
     * At boot: runs the crash-time write path once with {@code record} and keeps nothing, so every class and
     * page it touches is loaded before a panic needs it.
     */
    default void rehearse(RecordWrite record) {
    }
}
