package org.pstore.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreConfig;
import org.pstore.boot.Boot;
import org.pstore.cli.demo.DemoApp;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;
import org.pstore.panic.DumpReason;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * The torture suite, part 3: corrupted copies of real stores. Three stores are made by real runs (a panic, a
 * stall whose record goes to the panic area, a SIGKILL), then copied over and over with random damage: bit
 * flips, truncations, zeroed pages, garbage ranges, deleted, swapped and added files, a damaged or missing
 * marker. On each copy the reader returns every record of the locations the damage did not touch, each one
 * readable, counts what it skipped, and changes nothing on disk; the CLI (on a sample of the copies) exits 0
 * or 1 within its time, with one-line messages and no stack trace; then the writer boots on the copy, heals
 * it, and the crash record it writes reads back.
 */
class CorruptStoresIT {
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(|Exception in thread|\\.\\.\\. \\d+ more");
    private static final int CLI_EVERY = 20;
    /** Small stores, so that a thousand copies are quick to make: the sizes of the smallest store pstore makes. */
    private static final String[] SMALL = {"-Dpstore.capacity=1m", "-Dpstore.reserve=320k", "-Dpstore.pmsgBytes=128k", "-Dpstore.journalBytes=64k",
        "-Dpstore.recordSize=4k", "-Dpstore.kmsgBytes=16k"};
    private static final Path OUT_OF_STORE = Path.of("target", "corrupt-stores-out").toAbsolutePath();
    /** {@code -Dpstore.torture.only=N}: with the seed of a failed run, replays its case N alone and keeps its damaged copy. */
    private static final Integer ONLY = Integer.getInteger("pstore.torture.only");

    @TempDir
    static Path work;
    private static final List<Path> templates = new ArrayList<>();
    private static final Map<Path, List<PstoreRecord>> templateRecords = new java.util.HashMap<>();

    @BeforeAll
    static void realStores() throws Exception {
        for (String kind : List.of("panic", "stall")) {
            Path dir = work.resolve("template-" + kind);
            JvmFork.Child app = JvmFork.of(DemoApp.class, work).jvmArg(SMALL).arg(kind, dir.toString()).start();
            Crashes.awaitCrash(app, dir);
            templates.add(dir);
        }
        Path killed = work.resolve("template-kill");
        JvmFork.Child app = JvmFork.of(DemoApp.class, work).jvmArg(SMALL).arg("kill", killed.toString()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!app.out().contains("tick 120") && System.nanoTime() < deadline && app.alive()) {
            Thread.sleep(10);
        }
        app.kill();
        app.awaitExit(30);
        Crashes.anotherRun(killed, 2); // a second boot: more than one run in the journal and the store
        templates.add(killed);
        for (Path t : templates) {
            try (PstoreReader r = PstoreReader.open(t)) {
                if (!r.problems().isEmpty()) {
                    throw new AssertionError("template " + t + " has problems before any damage: " + r.problems());
                }
                templateRecords.put(t, r.records());
            }
        }
    }

    @Test
    void damagedCopiesOfRealStores() throws Exception {
        Torture.Report report = Torture.start("corrupt-stores");
        Random seeds = report.random();
        int cases = Integer.getInteger("pstore.torture.cases", Torture.scale(1000, 20_000));
        report.tried(cases + " damaged copies of " + templates.size() + " real stores (panic, stall into the panic area, SIGKILL"
                + " and a second run); the CLI on every " + CLI_EVERY + "th");
        int healedBoots = 0;
        int cliRuns = 0;
        long skippedTotal = 0;
        long[] times = new long[4];
        // Two cases at a time, each in its own copy: they share nothing, and a case is all in-process work.
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "corrupt-stores-case");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Case>> running = new ArrayList<>();
            for (int c = 0; c < cases; c++) {
                long caseSeed = seeds.nextLong();
                if (ONLY != null && ONLY != c) {
                    continue; // the seed is drawn all the same: case numbers and seeds stay those of the full run
                }
                int number = c;
                Path copy = work.resolve("case-" + (c % 2));
                running.add(workers.submit(() -> runCase(number, caseSeed, copy)));
                if (running.size() == 2 || c == cases - 1 || ONLY != null) {
                    for (Future<Case> f : running) {
                        Case k;
                        try {
                            k = f.get(300, TimeUnit.SECONDS);
                        } catch (TimeoutException e) {
                            throw report.fail("a case hung for 300 s (a reader, CLI or boot call that never returned)");
                        }
                        for (int i = 0; i < k.held.size(); i++) {
                            report.quietly(k.held.get(i), k.what.get(i));
                        }
                        skippedTotal += k.skipped;
                        cliRuns += k.cliRuns;
                        healedBoots += k.healed ? 1 : 0;
                        for (int i = 0; i < times.length; i++) {
                            times[i] += k.times[i];
                        }
                    }
                    running.clear();
                }
            }
        } finally {
            workers.shutdownNow();
        }
        report.say(cases + " cases, " + skippedTotal + " damaged records or files counted by the reader, " + cliRuns
                + " CLI runs, " + healedBoots + " boots healed and read back; ms in snapshots " + times[0] / 1_000_000 + ", reader "
                + times[1] / 1_000_000 + ", CLI " + times[2] / 1_000_000 + ", boot and read back " + times[3] / 1_000_000);
        report.end();
    }

    /** What one case tried and what held, for the report (made in order, whichever case finishes first). */
    private static final class Case {
        final List<Boolean> held = new ArrayList<>();
        final List<String> what = new ArrayList<>();
        final long[] times = new long[4];
        long skipped;
        int cliRuns;
        boolean healed;

        void check(boolean ok, String line) {
            held.add(ok);
            what.add(line);
        }
    }

    private static Case runCase(int c, long caseSeed, Path copy) throws Exception {
        Case k = new Case();
        Random rnd = new Random(caseSeed);
        Path template = templates.get(rnd.nextInt(templates.size()));
        deleteTree(copy);
        Crashes.copy(template, copy);
        List<String> damage = new ArrayList<>();
        Set<String> touched = new java.util.HashSet<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            damage(copy, rnd, damage, touched);
        }
        String what = "case " + c + " (seed " + caseSeed + ", " + template.getFileName() + "): " + String.join("; ", damage);
        if (ONLY != null) {
            Path kept = OUT_OF_STORE.resolveSibling("corrupt-stores-case-" + c);
            deleteTree(kept);
            Crashes.copy(copy, kept);
            System.out.println("[corrupt-stores] " + what + "; the damaged copy, before any reader or boot, is kept in " + kept);
        }
        if (!ours(copy)) {
            // no marker and a name a store does not hold: not ours, refused by the reader and by boot, untouched
            Map<String, Long> before = StoreSnapshot.of(copy);
            String reader = refusal(() -> PstoreReader.open(copy).close());
            String boot = refusal(() -> Boot.open(PstoreConfig.builder().dir(copy).build()).close());
            k.check(reader != null && reader.contains("not a pstore store") && !reader.contains("\n"),
                    what + ": a directory that is not a store is refused by the reader in one line: " + reader);
            k.check(boot != null && boot.contains("is not a pstore store") && !boot.contains("\n"),
                    what + ": a directory that is not a store is refused by boot in one line: " + boot);
            k.check(before.equals(StoreSnapshot.of(copy)), what + ": nothing changed in a directory that is not a store");
            return k;
        }
        long t0 = System.nanoTime();
        Map<String, Long> before = StoreSnapshot.of(copy);
        long t1 = System.nanoTime();
        Outcome o = readAll(copy, template, touched);
        long t2 = System.nanoTime();
        k.times[0] += t1 - t0;
        k.times[1] += t2 - t1;
        k.check(o.failure == null, what + ": reader: " + o.failure);
        k.skipped += o.skipped;
        if (c % CLI_EVERY == 0) {
            for (String[] args : commands(o.someId)) {
                k.cliRuns++;
                String[] withDir = java.util.Arrays.copyOf(args, args.length + 2);
                withDir[args.length] = "--dir";
                withDir[args.length + 1] = copy.toString();
                Cli cli = Cli.run(withDir);
                String line = what + ": pstore " + String.join(" ", args);
                k.check(cli.status == 0 || cli.status == 1, line + ": exit 0 or 1, was " + cli);
                k.check(!STACK_TRACE.matcher(cli.err).find(), line + ": no stack trace: " + cli);
                k.check(cli.err.lines().allMatch(l -> l.startsWith("pstore: ")), line + ": one-line messages: " + cli);
            }
        }
        long t3 = System.nanoTime();
        Map<String, Long> after = StoreSnapshot.of(copy);
        k.check(before.equals(after), what + ": the reader changed nothing on disk: " + diff(before, after));
        long t4 = System.nanoTime();
        String boot = bootAndCrash(copy);
        k.times[2] += t3 - t2;
        k.times[3] += System.nanoTime() - t4;
        k.check(boot == null, what + ": boot heals and a new crash record reads back: " + boot);
        k.healed = boot == null;
        return k;
    }

    /**
     * Whether the damaged copy is still a store by the rules a store keeps: its marker, or (the marker gone)
     * nothing at its top but the names a store holds, one of its locations among them.
     */
    private static boolean ours(Path copy) throws IOException {
        if (Files.exists(copy.resolve("PSTORE"), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        Set<String> names = new java.util.HashSet<>();
        try (Stream<Path> top = Files.list(copy)) {
            top.forEach(p -> names.add(p.getFileName().toString()));
        }
        boolean location = names.contains("vars") || names.contains("console") || names.contains("panic.area");
        // panic.area.<n>: where older versions set a replaced area aside; PSTORE.<x>: a marker being replaced
        names.removeIf(n -> n.startsWith("panic.area.") || n.startsWith("PSTORE."));
        return location && Set.of("vars", "console", "panic.area", "quarantine", "quarantine.erased", "lastwords").containsAll(names);
    }

    /** The message of the PstoreException {@code action} throws, or null when it throws none. */
    private static String refusal(ThrowingRunnable action) {
        try {
            action.run();
            return null;
        } catch (org.pstore.PstoreException e) {
            return e.getMessage();
        } catch (Exception | Error e) {
            return "not a PstoreException: " + e;
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** What one reader pass saw. */
    private record Outcome(String failure, long skipped, String someId) {
    }

    /** The reader on a damaged copy: no exception, every untouched location whole, every record it lists readable. */
    private static Outcome readAll(Path copy, Path template, Set<String> touched) {
        try (PstoreReader r = PstoreReader.open(copy)) {
            List<PstoreRecord> records = r.records();
            for (PstoreRecord r0 : records) {
                Payload p = r.payload(r0);
                if (p == null) {
                    return new Outcome("listed but unreadable: " + r0.name(), 0, null);
                }
            }
            Set<Long> ids = new java.util.HashSet<>();
            records.forEach(x -> ids.add(x.id()));
            for (PstoreRecord t : templateRecords.get(template)) {
                org.pstore.record.Location location = t.location();
                boolean intact = switch (location.word()) {
                    case "store" -> !touched.contains("vars");
                    case "panic-area" -> !touched.contains("panic.area");
                    case "journal" -> !touched.contains("console");
                    default -> false;
                };
                if (intact && !ids.contains(t.id())) {
                    return new Outcome("a record of an untouched location is missing: " + t.name() + " (" + location + "); listed: "
                            + records.stream().map(PstoreRecord::name).toList() + "; problems: " + r.problems(), 0, null);
                }
            }
            String some = records.isEmpty() ? "1" : Long.toString(records.get(records.size() - 1).id());
            return new Outcome(null, r.problems().size(), some);
        } catch (org.pstore.PstoreException e) {
            return new Outcome("the reader refused the store: " + e.getMessage(), 0, "1");
        } catch (RuntimeException | Error e) {
            return new Outcome("the reader threw " + e, 0, "1");
        }
    }

    private static List<String[]> commands(String someId) {
        Path archive = OUT_OF_STORE.resolve("archive-" + System.nanoTime());
        return List.of(new String[] {"list"}, new String[] {"show", someId}, new String[] {"export"}, new String[] {"stat"},
                new String[] {"tail", "-n", "5"}, new String[] {"archive", "--keep", "--to", archive.toString()});
    }

    /** Boots the writer on the copy, writes a crash record, and reads it back: null when all of that worked. */
    private static String bootAndCrash(Path copy) {
        long boot;
        try {
            Boot.Booted b = Boot.open(PstoreConfig.builder().dir(copy).build());
            try {
                boot = b.identity().bootNumber();
                b.ring().println("after healing: boot " + boot);
                b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
            } finally {
                b.close();
            }
        } catch (RuntimeException | Error e) {
            return "boot failed: " + e;
        }
        try (PstoreReader r = PstoreReader.open(copy)) {
            List<PstoreRecord> dumps = r.records().stream()
                    .filter(x -> x.type() == RecordType.DMESG && x.bootNumber() == boot).toList();
            if (dumps.isEmpty()) {
                return "no crash record of boot " + boot + " read back; listed " + r.records().stream().map(PstoreRecord::name).toList()
                        + "; problems " + r.problems();
            }
            for (PstoreRecord d : dumps) {
                Payload p = r.payload(d);
                if (p == null || p.stillCompressed()) {
                    return "crash record " + d.name() + " unreadable";
                }
            }
            return null;
        } catch (RuntimeException | Error e) {
            return "reading back failed: " + e;
        }
    }

    // ---- damage ------------------------------------------------------------------------------------

    private static void damage(Path store, Random rnd, List<String> said, Set<String> touched) throws IOException {
        List<Path> files = files(store);
        int kind = rnd.nextInt(10);
        if (files.isEmpty()) {
            kind = 7;
        }
        Path f = files.isEmpty() ? null : files.get(rnd.nextInt(files.size()));
        if (kind <= 6 && rnd.nextInt(6) == 0) {
            f = store.resolve("PSTORE"); // the marker, more often than its share
            if (!Files.exists(f)) {
                kind = 7;
            }
        }
        String rel = f == null ? "" : store.relativize(f).toString();
        switch (kind) {
            case 0, 1 -> { // bit flips
                int flips = 1 + rnd.nextInt(8);
                long size = Files.size(f);
                if (size == 0) {
                    said.add("empty " + rel);
                    return;
                }
                try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    for (int i = 0; i < flips; i++) {
                        long at = pick(rnd, size, ch);
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
                        ch.read(b, at);
                        b.put(0, (byte) (b.get(0) ^ (1 << rnd.nextInt(8))));
                        b.rewind();
                        ch.write(b, at);
                    }
                }
                said.add(flips + " bit flips in " + rel);
            }
            case 2 -> { // truncation
                long size = Files.size(f);
                long to = size == 0 ? 0 : (long) (rnd.nextDouble() * size);
                try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.truncate(to);
                }
                said.add(rel + " truncated to " + to + " of " + size);
            }
            case 3 -> { // zeroed page
                long size = Files.size(f);
                long page = size / 4096 == 0 ? 0 : rnd.nextInt((int) Math.min(Integer.MAX_VALUE, size / 4096));
                try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.allocate((int) Math.min(4096, Math.max(0, size - page * 4096))), page * 4096);
                }
                said.add("page " + page + " of " + rel + " zeroed");
            }
            case 4 -> { // garbage range
                long size = Files.size(f);
                int len = 1 + rnd.nextInt(512);
                long at;
                try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    at = size == 0 ? 0 : pick(rnd, size, ch);
                    byte[] g = new byte[len];
                    rnd.nextBytes(g);
                    ch.write(java.nio.ByteBuffer.wrap(g), at);
                }
                said.add(len + " bytes of garbage at " + at + " of " + rel);
            }
            case 5 -> {
                Files.delete(f);
                said.add(rel + " deleted");
            }
            case 6 -> {
                Path g = files.get(rnd.nextInt(files.size()));
                if (g.equals(f)) {
                    said.add("nothing swapped");
                    return;
                }
                Path tmp = f.resolveSibling(f.getFileName() + ".swap");
                Files.move(f, tmp);
                Files.move(g, f);
                Files.move(tmp, g);
                String relG = store.relativize(g).toString();
                touched.add(top(relG));
                said.add(rel + " and " + relG + " swapped");
            }
            default -> { // added file
                String[] where = {"", "vars", "console", "quarantine"};
                String[] names = {"20261201T000000.000Z-vars-00000001.cq4", "00000007.cq4", "metadata.cq4t", "panic.area.1", "notes.txt",
                        "erased", "00000000.cq4"};
                Path dir = store.resolve(where[rnd.nextInt(where.length)]);
                Path added = dir.resolve(names[rnd.nextInt(names.length)]);
                if (Files.exists(added, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(dir)) {
                    said.add("nothing added");
                    return;
                }
                byte[] g = new byte[rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(70_000)];
                rnd.nextBytes(g);
                Files.write(added, g, StandardOpenOption.CREATE_NEW);
                Files.setPosixFilePermissions(added, PosixFilePermissions.fromString("rw-------"));
                rel = store.relativize(added).toString();
                said.add(rel + " added (" + g.length + " bytes of garbage)");
            }
        }
        touched.add(top(rel));
        if (rel.equals("PSTORE")) {
            // a marker with other sizes makes the reader bound the files by them: every location is in question
            touched.add("marker");
        }
    }

    /** Where damage lands: mostly in what is written (the first pages), sometimes anywhere. */
    private static long pick(Random rnd, long size, java.nio.channels.FileChannel ch) {
        long hot = Math.min(size, 64 << 10);
        return rnd.nextInt(4) == 0 ? (long) (rnd.nextDouble() * size) : (long) (rnd.nextDouble() * hot);
    }

    private static String top(String rel) {
        int slash = rel.indexOf('/');
        String first = slash < 0 ? rel : rel.substring(0, slash);
        return first.startsWith("panic.area") ? "panic.area" : first;
    }

    private static List<Path> files(Path store) throws IOException {
        try (Stream<Path> all = Files.walk(store)) {
            return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }


    private static String diff(Map<String, Long> before, Map<String, Long> after) {
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k))).toList().toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
