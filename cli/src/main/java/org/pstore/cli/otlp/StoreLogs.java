package org.pstore.cli.otlp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.pstore.PstoreException;
import org.pstore.cli.output.Progress;
import org.pstore.cli.output.RecordJson;
import org.pstore.reader.ConsoleTail;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.reader.WallClock;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * The store as OTLP log records (the mapping the README documents beside the JSON schema): one per pmsg;
 * one per crash dump, all its parts oldest first, when it is text and fits a line, else one per part; one
 * per line of the console journal, timed by the line's own uptime. Crash dumps carry their cause as
 * OpenTelemetry's exception attributes.
 */
public final class StoreLogs {
    private final PstoreReader reader;
    private final String service;
    private final OtlpLines out;
    private final Selection selection;
    private final Map<Long, WallClock> clocks = new LinkedHashMap<>();

    public StoreLogs(PstoreReader reader, String service, OtlpLines out, Selection selection) {
        this.reader = reader;
        this.service = service;
        this.out = out;
        this.selection = selection;
    }

    /** Writes what the selection takes; the lines are ended, the stream not flushed. */
    public Shipped write() throws IOException {
        List<PstoreRecord> all = reader.records();
        List<PstoreRecord> shipped = new ArrayList<>();
        Map<List<Object>, List<PstoreRecord>> dumps = new LinkedHashMap<>();
        try (Progress progress = Progress.of("exporting", all.size())) {
            for (PstoreRecord r : all) {
                if (r.type() == RecordType.DMESG) {
                    dumps.computeIfAbsent(List.of(r.bootNumber(), r.reason(), r.count(), r.revision()), k -> new ArrayList<>()).add(r);
                } else if (r.type() != RecordType.CONSOLE && selection.wanted(r) && record(r)) {
                    shipped.add(r);
                }
                progress.step();
            }
            for (List<PstoreRecord> parts : dumps.values()) {
                parts.sort(java.util.Comparator.comparingInt(PstoreRecord::part).reversed()); // oldest first
                List<PstoreRecord> wanted = parts.stream().filter(selection::wanted).toList();
                if (!wanted.isEmpty()) {
                    dump(parts, wanted);
                    shipped.addAll(wanted);
                }
            }
        }
        long[] lines = {0};
        ConsoleTail.Batch last = console(all, lines);
        out.endLine();
        return new Shipped(shipped, last, lines[0]);
    }

    /** One record as one log record; false when it was erased since it was listed. */
    private boolean record(PstoreRecord r) throws IOException {
        Payload p = reader.payload(r);
        if (p == null) {
            return false;
        }
        List<Attribute> a = names(r);
        String text = body(p, a);
        out.add(new LogEntry(Run.of(r, service), r.time().toEpochMilli() * 1_000_000L, Severity.of(r), "pstore." + r.typeWord(),
                text, text == null ? p.bytes() : null, a, List.of(), uid(r.bootId(), r.bootNumber(), Long.toString(r.id()))));
        return true;
    }

    /** A dump whole when every part is wanted, text, and together fit a line; else each wanted part on its own. */
    private void dump(List<PstoreRecord> parts, List<PstoreRecord> wanted) throws IOException {
        List<Payload> payloads = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        boolean allText = true;
        for (PstoreRecord r : parts) {
            Payload p = reader.payload(r);
            String text = p == null || p.stillCompressed() ? null : p.text();
            payloads.add(p);
            texts.add(text == null ? "" : text);
            allText &= text != null;
        }
        Optional<CrashCause> cause = CrashCause.of(texts);
        texts.forEach(t -> clock(parts.get(0).bootNumber()).reportsIn(t));
        PstoreRecord newest = parts.get(parts.size() - 1);
        Run run = Run.of(newest, service);
        long time = newest.time().toEpochMilli() * 1_000_000L;
        String reason = RecordJson.reasonWord(newest);
        String event = "pstore." + (reason != null ? reason : newest.typeWord());
        if (allText && wanted.size() == parts.size()) {
            List<Attribute> a = names(newest);
            a.removeIf(x -> x.key().equals("pstore.part") || x.key().equals("pstore.location"));
            a.add(Attribute.of("pstore.parts", parts.size()));
            LinkedHashSet<String> where = new LinkedHashSet<>();
            parts.forEach(p -> where.add(p.location().word()));
            a.add(Attribute.of("pstore.location", String.join(",", where)));
            LogEntry whole = new LogEntry(run, time, Severity.of(newest), event, String.join("", texts), null, a,
                    cause.map(CrashCause::attributes).orElse(List.of()),
                    uid(newest.bootId(), newest.bootNumber(), "dump:" + newest.reason() + ":" + newest.count() + ":" + newest.revision()));
            if (out.fits(whole)) {
                out.add(whole);
                return;
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            PstoreRecord r = parts.get(i);
            if (!wanted.contains(r) || payloads.get(i) == null) {
                continue;
            }
            List<Attribute> a = names(r);
            a.add(Attribute.of("pstore.parts", parts.size()));
            String text = body(payloads.get(i), a);
            int at = i;
            out.add(new LogEntry(run, time, Severity.of(r), event, text, text == null ? payloads.get(i).bytes() : null, a,
                    cause.filter(c -> c.part() == at).map(CrashCause::attributes).orElse(List.of()),
                    uid(r.bootId(), r.bootNumber(), Long.toString(r.id()))));
        }
    }

    /**
     * Every wanted line of the console journal, one record each, timed by its uptime through the run's clock
     * (learnt from the whole journal first, and from the run's crash report when there is one). Lines of a run
     * whose console record was erased are left out; a run that began after the store was listed still counts.
     */
    private ConsoleTail.Batch console(List<PstoreRecord> all, long[] lines) throws IOException {
        if (!java.nio.file.Files.isDirectory(org.pstore.backend.EfiBackend.console(reader.dir()))) {
            return null;
        }
        Map<Long, PstoreRecord> runs = new LinkedHashMap<>();
        for (PstoreRecord r : all) {
            if (r.type() == RecordType.CONSOLE || (r.pid() != 0 && !runs.containsKey(r.bootNumber()))) {
                runs.put(r.bootNumber(), r);
            }
        }
        java.util.Set<Long> erased = reader.erasedConsoleRuns();
        ConsoleTail.Batch[] last = {null};
        try (ConsoleTail learn = ConsoleTail.open(reader.dir())) {
            learn.pollBatches(b -> {
                selection.saw(b);
                last[0] = b;
                WallClock c = learn.clock(b.boot());
                clocks.merge(b.boot(), c, (mine, theirs) -> mine.known() ? mine : theirs);
            });
        } catch (PstoreException e) {
            return null; // no journal yet, or one the reader refuses (it says why among its problems)
        }
        if (last[0] == null) {
            return null;
        }
        try (ConsoleTail tail = ConsoleTail.open(reader.dir())) {
            IOException[] failed = {null};
            long stop = last[0].position();
            tail.pollBatches(b -> {
                if (failed[0] != null || b.position() > stop || erased.contains(b.boot()) || !selection.wanted(b)) {
                    return;
                }
                try {
                    lines[0] += lines(b, runs.computeIfAbsent(b.boot(), boot -> unlisted(b)));
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
        }
        return last[0];
    }

    /** The console record of a run the store did not list yet: its identity from the marker when it is the last boot. */
    private PstoreRecord unlisted(ConsoleTail.Batch b) {
        Map<String, String> facts = reader.facts();
        boolean last = Long.toString(b.boot()).equals(facts.get("boot"));
        UUID bootId = null;
        long pid = 0;
        try {
            bootId = last && facts.containsKey("bootId") ? UUID.fromString(facts.get("bootId")) : null;
            pid = last && facts.containsKey("pid") ? Long.parseLong(facts.get("pid")) : 0;
        } catch (IllegalArgumentException e) {
            // a marker that does not say: unknown
        }
        return new PstoreRecord(RecordType.CONSOLE.code(), org.pstore.backend.EfiBackend.NAME, b.boot() * org.pstore.record.RecordIds.PER_BOOT,
                java.time.Instant.ofEpochMilli(b.timeMillis()), 0, 0, 0, false, 0, bootId, pid,
                last ? facts.getOrDefault("host", "") : "", last ? facts.getOrDefault("jvm", "") : "", org.pstore.record.Location.JOURNAL, Long.toString(b.boot()));
    }

    private int lines(ConsoleTail.Batch b, PstoreRecord run) throws IOException {
        Run resource = Run.of(run, service);
        String name = RecordType.CONSOLE.word() + "-" + run.backend() + "-" + b.boot() * org.pstore.record.RecordIds.PER_BOOT;
        WallClock clock = clock(b.boot());
        String[] lines = b.lines();
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            OptionalLong micros = clock.wallMicros(lines[i]);
            long time = micros.isPresent() ? micros.getAsLong() * 1000 : b.timeMillis() * 1_000_000L;
            List<Attribute> a = new ArrayList<>(List.of(Attribute.of("pstore.record.name", name), Attribute.of("pstore.type", "console"),
                    Attribute.of("pstore.boot", run.bootNumber()), Attribute.of("pstore.location", org.pstore.record.Location.JOURNAL.word())));
            out.add(new LogEntry(resource, time, Severity.INFO, null, lines[i], null, a, List.of(),
                    uid(run.bootId(), run.bootNumber(), "journal:" + b.position() + ":" + i)));
            n++;
        }
        return n;
    }

    /** The run's clock: from the journal, made exact by a crash report's Time: line. */
    private WallClock clock(long boot) {
        return clocks.computeIfAbsent(boot, b -> new WallClock());
    }

    /** The attributes that name a record: name, id, type, and for a dump its reason, count, part; boot, location. */
    private static List<Attribute> names(PstoreRecord r) {
        List<Attribute> a = new ArrayList<>();
        a.add(Attribute.of("pstore.record.name", r.name()));
        a.add(Attribute.of("pstore.record.id", r.id()));
        a.add(Attribute.of("pstore.type", r.typeWord()));
        String reason = RecordJson.reasonWord(r);
        if (reason != null) {
            a.add(Attribute.of("pstore.reason", reason));
            a.add(Attribute.of("pstore.count", r.count()));
            a.add(Attribute.of("pstore.part", r.part()));
            if (r.revision() > 0) {
                a.add(Attribute.of("pstore.revision", r.revision()));
            }
        }
        a.add(Attribute.of("pstore.boot", r.bootNumber()));
        a.add(Attribute.of("pstore.location", r.location().word()));
        return a;
    }

    /** The body as text, or null (bytes then); a payload that did not decompress is flagged. */
    private static String body(Payload p, List<Attribute> a) {
        if (p.stillCompressed()) {
            a.add(Attribute.of("pstore.decompress_failed", true));
            return null;
        }
        return p.text();
    }

    /** A name-based UUID of what the record is: the same record exported twice has the same uid. */
    private static String uid(UUID bootId, long boot, String what) {
        String run = bootId != null ? bootId.toString() : "boot-" + boot;
        return UUID.nameUUIDFromBytes(("pstore:" + run + ":" + what).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
