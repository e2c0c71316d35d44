package org.pstore.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.VariableBuffer;
import org.pstore.core.store.CycleFile;
import org.pstore.core.store.Quarantine;
import org.pstore.core.store.StoreFiles;
import org.pstore.core.store.StoreView;
import org.pstore.record.ConsoleLine;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The records still readable in files a writer moved into the quarantine ({@code quarantine/<time>-<origin>-<name>}):
 * a variable store generation, a console journal segment, a panic area. Read-only and as untrusted as any
 * other file of the store: each file is read on its own, and only what validates is passed on (a record
 * frame's checksum, a console entry's checksum). Their location is {@link Location#QUARANTINE}; a record the live
 * store also holds (the same id) is the live one.
 *
 * <p>The files are never edited: erasing such a record adds its id to {@code quarantine.erased}, and the
 * reader no longer lists it.
 */
final class QuarantinedRecords {
    static final String ERASED = "quarantine.erased";
    private static final int MAX_ERASED_BYTES = 1 << 20;
    /** The quarantine's time prefix: {@code yyyyMMddTHHmmss.SSSZ-}. */
    private static final int TIME_PREFIX = 21;

    private final Path dir;

    QuarantinedRecords(Path dir) {
        this.dir = dir;
    }

    /** Every readable record of every quarantined file, minus those erased. */
    void read(Consumer<PstoreRecord> records, Consumer<String> problems) {
        Quarantine q = new Quarantine(dir.resolve(Quarantine.DIR), Quarantine.DEFAULT_BOUND);
        List<Path> files;
        try {
            files = q.files();
        } catch (StoreException e) {
            problems.accept("quarantine unreadable: " + e.getMessage());
            return;
        }
        Set<Long> erased = erased();
        Consumer<PstoreRecord> kept = r -> {
            if (!erased.contains(r.id())) {
                records.accept(r);
            }
        };
        RecordFormat.Decoder decoder = new RecordFormat.Decoder();
        for (Path f : files) {
            String name = f.getFileName().toString();
            String origin = origin(name);
            try {
                if (origin.equals("vars") && name.endsWith(".cq4")) {
                    readVariables(f, decoder, kept, problems);
                } else if (origin.equals("console") && name.endsWith(".cq4")) {
                    readConsole(f, kept, problems);
                } else if (origin.equals("panic")) {
                    PanicArea.read(List.of(f), stored -> {
                        String key = Quarantine.DIR + "/" + name + ":" + stored.slot();
                        PstoreRecord r = PanicZone.decode(decoder, stored, Location.QUARANTINE, key);
                        if (r == null) {
                            problems.accept("quarantined panic area " + name + ":" + stored.slot() + ": record fails validation; skipped");
                        } else {
                            kept.accept(r);
                        }
                    }, problems);
                }
            } catch (StoreException | IOException e) {
                problems.accept("quarantined " + name + " unreadable: " + e.getMessage());
            }
        }
    }

    /** The origin a quarantined file's name gives ("vars", "console", "panic", "store"), or "". */
    static String origin(String name) {
        if (name.length() <= TIME_PREFIX || name.charAt(TIME_PREFIX - 1) != '-') {
            return "";
        }
        String rest = name.substring(TIME_PREFIX);
        int dash = rest.indexOf('-');
        return dash < 0 ? "" : rest.substring(0, dash);
    }

    private void readVariables(Path f, RecordFormat.Decoder decoder, Consumer<PstoreRecord> records, Consumer<String> problems) {
        String name = f.getFileName().toString();
        try (StoreView view = StoreView.ofFile(f)) {
            long[] bad = {0};
            long unreadable = view.forEach((Namespace ns, CharSequence var, int attrs, byte[] data, int off, int len) -> {
                if (!ns.equals(VariableNaming.DUMP) || !VariableNaming.isRecordName(var)) {
                    return;
                }
                PstoreRecord r = EfiBackend.decode(decoder, data, off, len, Location.QUARANTINE, Quarantine.DIR + "/" + name + "/" + var);
                if (r == null) {
                    bad[0]++;
                } else {
                    records.accept(r);
                }
            });
            if (bad[0] + unreadable + view.corruptEntries() > 0) {
                problems.accept("quarantined " + name + ": " + (bad[0] + unreadable + view.corruptEntries()) + " damaged entries skipped");
            }
        }
    }

    private void readConsole(Path f, Consumer<PstoreRecord> records, Consumer<String> problems) throws IOException {
        String name = f.getFileName().toString();
        Map<Long, long[]> boots = new LinkedHashMap<>(); // boot -> {first time, bytes}
        long damaged = scanConsole(f, (boot, time, text, off, len) -> boots.computeIfAbsent(boot, k -> new long[] {time, 0})[1] += len);
        if (damaged > 0) {
            problems.accept("quarantined " + name + ": " + damaged + " damaged console journal entries skipped");
        }
        for (Map.Entry<Long, long[]> e : boots.entrySet()) {
            long[] b = e.getValue();
            records.accept(new PstoreRecord(RecordType.CONSOLE.code(), EfiBackend.NAME, e.getKey() * RecordIds.PER_BOOT,
                    Instant.ofEpochMilli(b[0]), 0, 0, 0, false, (int) Math.min(Integer.MAX_VALUE, b[1]), null, 0, "", "", Location.QUARANTINE,
                    Quarantine.DIR + "/" + name + "#" + e.getKey()));
        }
    }

    interface LineVisitor {
        void lines(long boot, long time, byte[] text, int offset, int length);
    }

    /** Walks one segment's entries; returns how many failed validation. */
    static long scanConsole(Path f, LineVisitor v) throws IOException {
        long damaged = 0;
        try (CycleFile c = CycleFile.open(f)) {
            if (!c.readable()) {
                return 1;
            }
            CycleFile.Cursor cursor = c.cursor();
            byte[][] buf = {new byte[8192]};
            CRC32C crc = new CRC32C();
            for (int n; (n = cursor.next(buf)) >= 0; ) {
                if (!ConsoleLine.valid(buf[0], n, crc)) {
                    damaged++;
                    continue;
                }
                v.lines(ConsoleLine.boot(buf[0]), ConsoleLine.time(buf[0]), buf[0], ConsoleLine.HEADER, n - ConsoleLine.HEADER);
            }
            if (cursor.end() == CycleFile.End.DAMAGED) {
                damaged++;
            }
        }
        return damaged;
    }

    /** The stored frame (or console text) of a record listed here; null when it is no longer there. */
    byte[] frame(PstoreRecord record) {
        String key = record.key();
        String rest = key.startsWith(Quarantine.DIR + "/") ? key.substring(Quarantine.DIR.length() + 1) : "";
        String origin = origin(rest);
        try {
            if (origin.equals("panic")) {
                int colon = rest.lastIndexOf(':');
                return PanicArea.read(dir.resolve(Quarantine.DIR).resolve(rest.substring(0, colon)), Integer.parseInt(rest.substring(colon + 1)),
                        record.id());
            }
            if (origin.equals("vars")) {
                int slash = rest.indexOf('/');
                try (StoreView view = StoreView.ofFile(dir.resolve(Quarantine.DIR).resolve(rest.substring(0, slash)))) {
                    VariableBuffer buf = new VariableBuffer(RecordFormat.MAX_HEADER + (1 << 20));
                    return view.get(VariableNaming.DUMP, rest.substring(slash + 1), buf) == Status.OK ? buf.toByteArray() : null;
                }
            }
            if (origin.equals("console")) {
                int hash = rest.lastIndexOf('#');
                long boot = Long.parseLong(rest.substring(hash + 1));
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                boolean[] seen = {false};
                scanConsole(dir.resolve(Quarantine.DIR).resolve(rest.substring(0, hash)), (b, time, text, off, len) -> {
                    if (b == boot) {
                        seen[0] = true;
                        if (out.size() + len <= EfiBackend.MAX_CONSOLE_TEXT) {
                            out.write(text, off, len);
                        }
                    }
                });
                return seen[0] ? out.toByteArray() : null;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Erasing a quarantined record: its id joins the tombstones (the file itself is kept as it is). */
    Status erase(PstoreRecord record) throws IOException {
        if (erased().contains(record.id())) {
            return Status.NOT_FOUND;
        }
        StoreFiles.append(dir.resolve(ERASED), (record.id() + "\n").getBytes(StandardCharsets.US_ASCII));
        return Status.OK;
    }

    private Set<Long> erased() {
        Set<Long> ids = new HashSet<>();
        Path f = dir.resolve(ERASED);
        if (Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            try {
                for (String l : new String(StoreFiles.readBounded(f, MAX_ERASED_BYTES), StandardCharsets.US_ASCII).split("\n")) {
                    if (l.matches("\\d{1,19}")) {
                        try {
                            ids.add(Long.parseLong(l));
                        } catch (NumberFormatException ignored) {
                            // not an id
                        }
                    }
                }
            } catch (IOException ignored) {
                // an unreadable tombstone list hides nothing
            }
        }
        return ids;
    }
}
