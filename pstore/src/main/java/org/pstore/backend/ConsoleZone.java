package org.pstore.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.journal.Journal;
import org.pstore.core.store.LogFiles;
import org.pstore.core.store.StoreFiles;
import org.pstore.record.ConsoleLine;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The console journal as a location ({@code console/}): one record per run, its lines. Writable at boot
 * (the {@link Journal} open, which validates its segments and quarantines what does not), read-only for a
 * reader (segments read directly). Journal lines cannot be removed one by one: erasing a run's record adds
 * its boot number to the tombstones ({@code console/erased}), and neither {@code list} nor {@code tail}
 * shows it again.
 */
final class ConsoleZone {
    static final String DIR = "console";
    /** Boot numbers of erased console records. */
    static final String ERASED = "erased";
    /** A tombstone list is a few digits per erased boot: more than this is not read. */
    private static final int MAX_ERASED_BYTES = 1 << 20;

    private final Path dir;
    private final Journal journal;
    private final boolean refused;

    /** {@code dir}: the journal's directory; {@code journal}: the writer's, or null; {@code refused}: files not read. */
    ConsoleZone(Path dir, Journal journal, boolean refused) {
        this.dir = dir;
        this.journal = journal;
        this.refused = refused;
    }

    /**
     * The writer's: the journal in {@code console/} of the store directory {@code dir}, open for appending (it
     * validates its segments and quarantines what does not; what still fails to open is moved aside by the healer).
     */
    static ConsoleZone openWritable(Path dir, long journalBytes, Durability durability, Healer healer) {
        Path console = dir.resolve(DIR);
        Journal journal = healer.open(DIR, console, () -> Journal.openWritable(console, journalBytes, durability));
        healer.note(DIR, journal.healing());
        return new ConsoleZone(console, journal, false);
    }

    /** The writer's journal; null for a reader or an eraser. */
    Journal journal() {
        return journal;
    }

    /** Appends a batch of lines (a sealed {@link ConsoleLine} entry). */
    Status write(RecordWrite w) {
        try {
            journal.append(w.frame, 0, w.length);
            w.placed = Location.JOURNAL;
            return Status.OK;
        } catch (IOException | RuntimeException e) {
            return Status.DEVICE_ERROR;
        }
    }

    void read(Consumer<PstoreRecord> records, Consumer<String> problems) {
        if (refused || !LogFiles.exists(dir)) {
            return;
        }
        Set<Long> erased = erasedBoots();
        Map<Long, long[]> boots = new LinkedHashMap<>(); // boot -> {first time, bytes}
        long[] damaged = {0};
        scan((boot, time, text, off, len) -> boots.computeIfAbsent(boot, k -> new long[] {time, 0})[1] += len, damaged);
        if (damaged[0] > 0) {
            problems.accept(damaged[0] + " damaged console journal entries skipped");
        }
        for (Map.Entry<Long, long[]> e : boots.entrySet()) {
            if (erased.contains(e.getKey())) {
                continue;
            }
            long[] b = e.getValue();
            records.accept(new PstoreRecord(RecordType.CONSOLE.code(), EfiBackend.NAME, e.getKey() * RecordIds.PER_BOOT,
                    Instant.ofEpochMilli(b[0]), 0, 0, 0, false, (int) Math.min(Integer.MAX_VALUE, b[1]), null, 0, "", "",
                    Location.JOURNAL, Long.toString(e.getKey())));
        }
    }

    /** Receives each journal entry: a batch of lines, each ending in a newline. */
    private interface LineVisitor {
        void lines(long boot, long time, byte[] text, int offset, int length);
    }

    private void scan(LineVisitor v, long[] damaged) {
        try (Journal.Reader r = Journal.openReadOnly(dir)) {
            byte[][] buf = {new byte[8192]};
            CRC32C crc = new CRC32C();
            for (int n; (n = r.next(buf)) >= 0; ) {
                if (!ConsoleLine.valid(buf[0], n, crc)) {
                    damaged[0]++;
                    continue;
                }
                v.lines(ConsoleLine.boot(buf[0]), ConsoleLine.time(buf[0]), buf[0], ConsoleLine.HEADER, n - ConsoleLine.HEADER);
            }
        } catch (StoreException e) {
            damaged[0]++;
        }
    }

    /** The run's console lines, or null when the journal holds none of that boot. One pass. */
    byte[] text(long boot) {
        if (refused) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean[] seen = {false};
        scan((b, time, text, off, len) -> {
            if (b == boot) {
                seen[0] = true;
                if (out.size() + len <= EfiBackend.MAX_CONSOLE_TEXT) {
                    out.write(text, off, len);
                }
            }
        }, new long[1]);
        return seen[0] ? out.toByteArray() : null;
    }

    /** The runs whose console record was erased (their journal lines stay until the journal drops them). */
    Set<Long> erasedBoots() {
        Set<Long> erased = new HashSet<>();
        Path f = dir.resolve(ERASED);
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            try {
                for (String l : new String(StoreFiles.readBounded(f, MAX_ERASED_BYTES), StandardCharsets.US_ASCII).split("\n")) {
                    if (l.matches("\\d{1,18}")) {
                        erased.add(Long.parseLong(l));
                    }
                }
            } catch (IOException ignored) {
                // an unreadable tombstone list (or not a regular file) hides nothing
            }
        }
        return erased;
    }

    Status erase(long boot) throws IOException {
        if (erasedBoots().contains(boot)) {
            return Status.NOT_FOUND;
        }
        // created 0600 when absent, appended to only when a regular file itself: never through a planted link
        StoreFiles.append(dir.resolve(ERASED), (boot + "\n").getBytes(StandardCharsets.US_ASCII));
        return Status.OK;
    }
}
