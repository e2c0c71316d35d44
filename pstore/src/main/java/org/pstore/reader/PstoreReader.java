package org.pstore.reader;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.backend.EfiBackend;
import org.pstore.backend.PanicArea;
import org.pstore.record.Lifetime;
import org.pstore.boot.StoreLayout;
import org.pstore.boot.StoreSettings;
import org.pstore.compress.Decompressor;
import org.pstore.core.Mode;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.StoreSpace;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.core.store.StoreView;
import org.pstore.panic.DumpReason;
import org.pstore.record.DumpRevisions;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * The post-mortem reader. Opens a store read-only — it takes no lock and writes nothing, so it works while
 * the application runs — lists every record (store variables, panic area, console journal), validates each
 * one (a record that fails is skipped and counted in {@link #problems()}), reads payloads back decompressed,
 * and erases. Erasing needs the store's writer lock: it is refused while the application runs.
 */
public final class PstoreReader implements AutoCloseable {
    /** The decompression budget of one reader (one command): this many times the store's capacity. */
    public static final int INFLATE_PER_CAPACITY = 4;
    private final Path dir;
    private final EfiBackend backend;
    private final List<PstoreRecord> records = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    /** What one command may inflate in all: a crafted store of small bombs cannot make it write gigabytes. */
    private final long inflateBudget;
    private long inflated;
    /** The capacity the store's files are bounded by: its marker's, or the largest any store has when the marker is unsound. */
    private final long capacity;
    private boolean budgetSpent;

    private PstoreReader(Path dir, EfiBackend backend, long capacity, String markerProblem) {
        this.dir = dir;
        this.backend = backend;
        this.capacity = capacity;
        if (markerProblem != null) {
            problems.add(markerProblem);
        }
        this.inflateBudget = INFLATE_PER_CAPACITY * Math.max(StoreConfig.MIN_CAPACITY, Math.min(capacity, StoreConfig.MAX_CAPACITY));
        Map<Long, PstoreRecord> byId = new java.util.LinkedHashMap<>();
        // The store is listed first: a crash-time part that also went to the panic area (the store's write
        // failed after it had committed the entry) is the same record once.
        backend.read(r -> byId.putIfAbsent(r.id(), r), problems::add);
        records.addAll(DumpRevisions.shown(new ArrayList<>(byId.values()))); // a panic's early revision, once the full one is whole
        identifyConsoleRuns();
        records.sort(Comparator.comparing(PstoreRecord::time).thenComparingLong(PstoreRecord::id));
    }

    /**
     * Console journal entries carry no pid, host or JVM: they are the run's, taken from another record of the
     * same boot, or from the marker for the writer's last boot; unknown otherwise.
     */
    private void identifyConsoleRuns() {
        Map<Long, PstoreRecord> byBoot = new java.util.HashMap<>();
        for (PstoreRecord r : records) {
            if (r.pid() != 0) {
                byBoot.putIfAbsent(r.bootNumber(), r);
            }
        }
        Map<String, String> facts = StoreLayout.facts(dir);
        for (int i = 0; i < records.size(); i++) {
            PstoreRecord r = records.get(i);
            if (r.type() != RecordType.CONSOLE || r.pid() != 0) {
                continue;
            }
            PstoreRecord same = byBoot.get(r.bootNumber());
            if (same != null) {
                records.set(i, r.withRun(same.bootId(), same.pid(), same.host(), same.jvm()));
            } else if (Long.toString(r.bootNumber()).equals(facts.get("boot")) && facts.getOrDefault("pid", "").matches("\\d{1,18}")) {
                UUID bootId = null;
                try {
                    bootId = facts.containsKey("bootId") ? UUID.fromString(facts.get("bootId")) : null;
                } catch (IllegalArgumentException e) {
                    // a marker with a bad boot id: unknown
                }
                records.set(i, r.withRun(bootId, Long.parseLong(facts.get("pid")), facts.getOrDefault("host", ""),
                        facts.getOrDefault("jvm", "")));
            }
        }
    }

    /**
     * Opens the store in {@code dir}. Fails with one line when the directory is missing, is not a store, or
     * cannot be read.
     */
    public static PstoreReader open(Path dir) {
        if (!Files.exists(dir)) {
            throw new PstoreException(Status.NOT_FOUND, dir + ": no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new PstoreException(Status.INVALID, dir + " is not a directory");
        }
        if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
            throw new PstoreException(Status.DEVICE_ERROR, dir + ": permission denied");
        }
        if (!StoreLayout.isStore(dir)) {
            throw new PstoreException(Status.INVALID, isEmpty(dir) ? dir + " is empty: no store there yet"
                    : dir + " is not a pstore store (no " + StoreLayout.MARKER + " file)");
        }
        try {
            String markerProblem = markerProblem(dir);
            Optional<StoreSettings> settings = StoreLayout.settings(dir);
            // an unsound marker tells no sizes: the files are then bounded by the largest any store makes
            long unknown = markerProblem == null ? StoreConfig.DEFAULT_CAPACITY : StoreConfig.MAX_CAPACITY;
            long capacity = settings.map(StoreSettings::capacity).orElse(unknown);
            long journal = settings.map(StoreSettings::journalBytes)
                    .orElse(markerProblem == null ? PstoreConfig.DEFAULT_JOURNAL_BYTES : StoreConfig.MAX_CAPACITY);
            return new PstoreReader(dir, EfiBackend.openReadOnly(dir, capacity, journal), capacity, markerProblem);
        } catch (StoreException e) {
            throw new PstoreException(e.status(), e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof AccessDeniedException) {
                throw new PstoreException(Status.DEVICE_ERROR, dir + ": permission denied", e);
            }
            throw e;
        }
    }

    /** What is wrong with the marker, as a reader's warning (the next boot heals it); null when nothing. */
    private static String markerProblem(Path dir) {
        if (!Files.exists(dir.resolve(StoreLayout.MARKER), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return "the store's marker " + StoreLayout.MARKER + " is missing (its layout is a store's; the next boot writes a new one)";
        }
        String p = StoreLayout.markerProblem(dir);
        return p == null ? null : "the store's marker " + StoreLayout.MARKER + " is damaged (" + p + "): its facts are not used; the next boot heals it";
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }

    /** Every valid record, oldest first. */
    public List<PstoreRecord> records() {
        return List.copyOf(records);
    }

    /** What was skipped or found damaged, one line each. Empty when all is well. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** A record by id ({@code 3000000007}) or pstorefs name ({@code dmesg-efi-3000000007}). */
    public Optional<PstoreRecord> find(String idOrName) {
        String key = idOrName.trim();
        for (PstoreRecord r : records) {
            if (r.name().equals(key) || Long.toString(r.id()).equals(key)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The parts of dump {@code count} of {@code reason} (e.g. Panic#3), oldest part first. */
    public List<PstoreRecord> dumpParts(DumpReason reason, int count) {
        return dumpParts(reason.code(), count);
    }

    /** The parts of dump {@code count} of the reason with code {@code reasonCode}, oldest part first. */
    public List<PstoreRecord> dumpParts(int reasonCode, int count) {
        List<PstoreRecord> parts = new ArrayList<>();
        for (PstoreRecord r : records) {
            if (r.type() == RecordType.DMESG && r.reason() == reasonCode && r.count() == count) {
                parts.add(r);
            }
        }
        parts.sort(Comparator.comparingInt(PstoreRecord::part).reversed());
        return parts;
    }

    /** The payload exactly as stored (compressed when the record is); null when it vanished. */
    public byte[] stored(PstoreRecord r) {
        return backend.payload(r);
    }

    /** The payload, decompressed; null when the record vanished since it was listed. */
    public Payload payload(PstoreRecord r) {
        byte[] stored = backend.payload(r);
        if (stored == null) {
            return null;
        }
        if (!r.compressed()) {
            return new Payload(stored, false);
        }
        long left = inflateBudget - inflated;
        int limit = (int) Math.min(Decompressor.MAX_INFLATED, Math.max(0, left));
        byte[] out = Decompressor.inflate(stored, 0, stored.length, limit);
        if (out == Decompressor.OVER_LIMIT) {
            inflated += limit;
            if (limit < Decompressor.MAX_INFLATED && !budgetSpent) {
                budgetSpent = true;
                problems.add("decompression budget spent (" + (inflateBudget >> 20) + " MiB for this command, " + INFLATE_PER_CAPACITY
                        + "x the store's capacity): the remaining compressed payloads are shown as stored");
            }
            return new Payload(stored, true);
        }
        if (out == null) {
            return new Payload(stored, true);
        }
        inflated += out.length;
        return new Payload(out, false);
    }

    public Space space() {
        Optional<StoreSettings> settings = StoreLayout.settings(dir);
        StoreSpace s = new StoreSpace();
        Path vars = EfiBackend.vars(dir);
        if (StoreView.exists(vars) && EfiBackend.checkLocation(dir, vars, EfiBackend.maxLogFile(capacity)) == null) {
            try (StoreView view = StoreView.open(vars)) {
                view.space(s);
            } catch (StoreException e) {
                // an unreadable store shows as empty here; the records' listing says what was skipped
            }
        }
        return new Space(settings.map(StoreSettings::capacity).orElse(-1L), settings.map(StoreSettings::reserve).orElse(-1L), s.used(), s.live(),
                bytes(dir, PanicArea.FILE), bytes(EfiBackend.console(dir), ""));
    }

    /** The files in the store's quarantine (moved there by a boot that healed the store), oldest first. */
    public List<Path> quarantined() {
        try {
            return new org.pstore.core.store.Quarantine(dir.resolve(org.pstore.core.store.Quarantine.DIR),
                    org.pstore.core.store.Quarantine.DEFAULT_BOUND).files();
        } catch (StoreException e) {
            return List.of();
        }
    }

    /** What the writer's last boot recorded: boot number, pid, mode in force and why. */
    public Map<String, String> facts() {
        return StoreLayout.facts(dir);
    }

    /**
     * The boot numbers of the runs whose console record was erased: their lines may still be in the journal
     * ({@link ConsoleTail} reads them all), but the store no longer shows them.
     */
    public java.util.Set<Long> erasedConsoleRuns() {
        return java.util.Set.copyOf(backend.erasedConsoleBoots());
    }

    /** The service name ({@code pstore.service}) the writer's last boot recorded, if it was given one. */
    public Optional<String> service() {
        return StoreLayout.service(dir);
    }

    private static long bytes(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The name of the store's owner when that is not the user running this process; writing to the store is
     * then refused by the CLI (files made now would not be the owner's, and the owner controls every file).
     */
    public Optional<String> foreignOwner() {
        try {
            int owner = org.pstore.core.store.StoreFiles.ownerUid(dir);
            int me = org.pstore.core.store.StoreFiles.currentUid();
            return owner >= 0 && me >= 0 && owner != me ? Optional.of(org.pstore.core.store.StoreFiles.ownerName(dir)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Opens the store for erasing, with the sizes it was made with. Takes the store's writer lock: refused
     * (BUSY) while the application that writes it runs. Close it to release the lock.
     */
    public Eraser eraser() {
        RuntimeServices services;
        StoreConfig config = writerConfig();
        String unsafe = EfiBackend.checkLocation(dir, EfiBackend.vars(dir), EfiBackend.maxLogFile(config.capacity()));
        if (unsafe != null && StoreView.exists(EfiBackend.vars(dir))) {
            throw new PstoreException(Status.INVALID, "cannot erase: " + unsafe);
        }
        try {
            services = RuntimeServices.open(config);
        } catch (StoreException e) {
            if (e.status() == Status.BUSY) {
                throw new PstoreException(Status.BUSY, "cannot erase: " + e.getMessage() + "; stop the application first", e);
            }
            throw new PstoreException(e.status(), "cannot erase: " + e.getMessage(), e);
        }
        return new Eraser(services, EfiBackend.forErase(dir, services));
    }

    /** The store's own settings (defaults for a store whose marker records none), on the legacy ops. */
    private StoreConfig writerConfig() {
        PstoreConfig.Builder b = StoreLayout.settings(dir).map(s -> s.configFor(dir)).orElseGet(() -> PstoreConfig.builder().dir(dir));
        try {
            return b.mode(Mode.LEGACY).build().storeConfig();
        } catch (IllegalArgumentException e) {
            throw new PstoreException(Status.INVALID, "cannot erase: the store's marker " + dir.resolve(StoreLayout.MARKER)
                    + " records settings that do not hold together: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        backend.close();
    }

    /** Erases records, keeping the lifetime counters above what they held (Panic#N never repeats). */
    public static final class Eraser implements AutoCloseable {
        private final RuntimeServices services;
        private final EfiBackend backend;
        private final Lifetime lifetime;

        Eraser(RuntimeServices services, EfiBackend backend) {
            this.services = services;
            this.backend = backend;
            this.lifetime = Lifetime.load(services.ops());
        }

        public Status erase(PstoreRecord r) {
            lifetime.absorb(r);
            Status saved = lifetime.save(services.ops());
            if (!saved.ok()) {
                return saved;
            }
            return backend.erase(r);
        }

        @Override
        public void close() {
            services.close();
        }
    }
}
