package org.pstore.backend;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.pstore.core.Attributes;
import org.pstore.core.NameCursor;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;
import org.pstore.core.journal.Journal;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.core.store.LogFiles;
import org.pstore.core.store.StoreFiles;
import org.pstore.core.store.StoreView;
import org.pstore.frontend.ConsoleLine;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;
import org.pstore.record.RecordType;

/**
 * The efi backend: records are variables in the core variable store (dmesg parts and pmsg messages, named
 * by {@link VariableNaming}), the console goes to a journal beside it, and the panic area takes a crash
 * record the store cannot take at that instant. At crash time it writes through the legacy ops, non-blocking;
 * a held lock or a failing store sends the record to the panic area rather than dropping it.
 *
 * <p>Attached at boot it writes; opened read-only (post-mortem, or beside a running application) it lists,
 * reads, and leaves everything as it is.
 */
public final class EfiBackend implements Backend {
    public static final String NAME = "efi";
    public static final String CONSOLE_DIR = "console";
    public static final String VARS_DIR = "vars";
    /** Boot numbers of erased console records (journal lines cannot be removed one by one). */
    static final String CONSOLE_ERASED = "erased";
    /** A tombstone list is a few digits per erased boot: more than this is not read. */
    private static final int MAX_ERASED_BYTES = 1 << 20;
    /** A console record's text held in memory at most; the journal's own bound is far below. */
    static final int MAX_CONSOLE_TEXT = 64 << 20;
    private static final String REHEARSAL = "pstore-rehearsal";

    private final Path dir;
    private final int bufferSize;
    private final RuntimeServices services;
    private final PanicArea area;
    private final Journal journal;
    private final StoreView view;
    private final PmsgRetention pmsg;
    private final QuarantinedRecords quarantined;
    /** Locations a reader did not open (their files were not what they claim), one line each. */
    private final List<String> refused = new ArrayList<>();
    private boolean consoleRefused;

    private EfiBackend(Path dir, int bufferSize, RuntimeServices services, PanicArea area, Journal journal, StoreView view, long pmsgBudget) {
        this.dir = dir;
        this.bufferSize = bufferSize;
        this.services = services;
        this.area = area;
        this.journal = journal;
        this.view = view;
        this.pmsg = services == null ? null : new PmsgRetention(pmsgBudget);
        this.quarantined = new QuarantinedRecords(dir);
    }

    /** Where the variable store lives in the store directory {@code dir}. */
    public static Path vars(Path dir) {
        return dir.resolve(VARS_DIR);
    }

    /** Where the console journal lives in the store directory {@code dir}. */
    public static Path console(Path dir) {
        return dir.resolve(CONSOLE_DIR);
    }

    /** The writer: the store's runtime services, the panic area and the console journal, all open. */
    public static EfiBackend attach(Path dir, int bufferSize, RuntimeServices services, PanicArea area, Journal journal, long pmsgBudget) {
        EfiBackend b = new EfiBackend(dir, bufferSize, services, area, journal, null, pmsgBudget);
        b.pmsg.load();
        return b;
    }

    /**
     * An eraser for a post-mortem reader: the store open for writing (its writer lock taken), the panic area
     * and the console journal edited in place.
     */
    public static EfiBackend forErase(Path dir, RuntimeServices services) {
        return new EfiBackend(dir, 0, services, null, null, null, Long.MAX_VALUE);
    }

    /**
     * A reader: takes no lock and writes nothing. {@code capacity} and {@code journalBytes}, the store's own
     * (from its marker), bound the files a location may hold; a location whose files are not what they claim
     * (a link, a FIFO, someone else's, larger than it can hold) is not read, and the reader says so.
     */
    public static EfiBackend openReadOnly(Path dir, long capacity, long journalBytes) {
        Path vars = vars(dir);
        List<String> refused = new ArrayList<>();
        String varsProblem = StoreView.exists(vars) ? checkLocation(dir, vars, maxLogFile(capacity)) : null;
        StoreView view = null;
        if (varsProblem != null) {
            refused.add(varsProblem);
        } else if (StoreView.exists(vars)) {
            try {
                view = StoreView.open(vars);
            } catch (StoreException e) {
                refused.add("variable store " + vars + " unreadable: " + e.getMessage() + "; not read");
            }
        }
        String consoleProblem = Files.isDirectory(console(dir)) ? checkLocation(dir, console(dir), maxLogFile(journalBytes)) : null;
        if (consoleProblem != null) {
            refused.add(consoleProblem);
        }
        EfiBackend b = new EfiBackend(dir, 0, null, null, null, view, 0);
        b.refused.addAll(refused);
        b.consoleRefused = consoleProblem != null;
        return b;
    }

    /**
     * The first problem with {@code location}'s files before Chronicle opens them (null when none): they must
     * be regular files of the store directory's owner, one link each, no larger than {@code maxFile}.
     */
    public static String checkLocation(Path dir, Path location, long maxFile) {
        int owner;
        try {
            owner = StoreFiles.ownerUid(dir);
        } catch (IOException e) {
            owner = -1;
        }
        return StoreFiles.checkLogDirectory(location, owner, maxFile);
    }

    /** The largest Chronicle file a log of {@code bytes} (capacity or journal bound) writes, with room to spare. */
    public static long maxLogFile(long bytes) {
        long clamped = Math.max(1L << 20, Math.min(bytes, 4L << 30));
        return 4 * (Long.highestOneBit(clamped * 2 + (1 << 20) - 1) << 1);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<RecordType> frontends() {
        return EnumSet.of(RecordType.DMESG, RecordType.CONSOLE, RecordType.PMSG);
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public Status write(RecordWrite w, boolean crashTime) {
        if (services == null) {
            return Status.UNSUPPORTED;
        }
        if (w.type == RecordType.CONSOLE) {
            return appendConsole(w);
        }
        if (crashTime) {
            return writeAtCrash(w);
        }
        if (w.type == RecordType.PMSG) {
            return pmsg.write(w);
        }
        if (services.lock().held()) {
            return writeAtCrash(w); // a dump must not wait behind a stuck store operation
        }
        StringBuilder name = VariableNaming.format(w.name, w.type.code(), w.part, w.count, w.id, w.compressed);
        Status s = services.ops().set(VariableNaming.DUMP, name, Attributes.DEFAULT, w.frame, 0, w.length);
        w.storeStatus = s;
        if (s.ok()) {
            w.placed = RecordWrite.Placement.STORE;
            return s;
        }
        return writeAtCrash(w); // a dump the store refused still must not be lost
    }

    /**
     * Crash time: the legacy ops, non-blocking; the panic area when the store cannot take it now, or fails in
     * any way (an Error from the store included: the record matters more than why the store failed).
     */
    private Status writeAtCrash(RecordWrite w) {
        Status s;
        try {
            StringBuilder name = VariableNaming.format(w.name, w.type.code(), w.part, w.count, w.id, w.compressed);
            s = services.legacyOps().setNonBlocking(VariableNaming.DUMP, name, Attributes.DEFAULT, w.frame, 0, w.length);
        } catch (Throwable storeFailed) {
            s = Status.DEVICE_ERROR;
        }
        w.storeStatus = s;
        if (s.ok()) {
            w.placed = RecordWrite.Placement.STORE;
            return s;
        }
        if (area.write(w.id, w.frame, w.length)) {
            w.placed = RecordWrite.Placement.PANIC_AREA;
            return Status.OK;
        }
        w.placed = RecordWrite.Placement.NOWHERE;
        return Status.OUT_OF_RESOURCES;
    }

    @Override
    public void rehearse(RecordWrite w) {
        if (services == null) {
            return;
        }
        // the name is formatted as a crash would format it, then replaced: the rehearsal keeps nothing
        VariableNaming.format(w.name, w.type.code(), w.part, w.count, w.id, w.compressed);
        w.name.setLength(0);
        w.name.append(REHEARSAL);
        services.legacyOps().setNonBlocking(VariableNaming.DUMP, w.name, Attributes.DEFAULT, w.frame, 0, w.length);
        services.ops().set(VariableNaming.DUMP, REHEARSAL, 0, null, 0, 0);
        area.write(w.id, w.frame, w.length);
        area.erase(w.id);
    }

    private Status appendConsole(RecordWrite w) {
        try {
            journal.append(w.frame, 0, w.length);
            w.placed = RecordWrite.Placement.JOURNAL;
            return Status.OK;
        } catch (IOException | RuntimeException e) {
            return Status.DEVICE_ERROR;
        }
    }

    // ---- reading -------------------------------------------------------------------------------------

    @Override
    public void read(Consumer<PstoreRecord> records, Consumer<String> problems) {
        refused.forEach(problems);
        RecordFormat.Decoder decoder = new RecordFormat.Decoder();
        List<PstoreRecord> found = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        forEachVariable(new VariableVisitor() {
            @Override
            public void visit(CharSequence name, byte[] data, int offset, int length) {
                if (!VariableNaming.isRecordName(name)) {
                    return;
                }
                PstoreRecord r = decode(decoder, data, offset, length, "store", name.toString());
                if (r == null) {
                    bad.add("store variable " + name + ": record fails validation; skipped");
                } else {
                    found.add(r);
                }
            }

            @Override
            public void restart() {
                found.clear();
                bad.clear();
            }
        }, problems);
        found.forEach(records);
        bad.forEach(problems);
        PanicArea.read(dir, stored -> {
            PstoreRecord r = decode(decoder, stored.frame(), 0, stored.frame().length, "panic-area", areaKey(stored));
            if (r == null) {
                problems.accept("panic area " + areaKey(stored) + ": record fails validation; skipped");
            } else {
                records.accept(r);
            }
        }, problems);
        readConsole(records, problems);
        quarantined.read(records, problems);
    }

    private static String areaKey(PanicArea.Stored s) {
        return s.file().getFileName() + ":" + s.slot();
    }

    static PstoreRecord decode(RecordFormat.Decoder decoder, byte[] data, int offset, int length, String location, String key) {
        RecordFormat.Frame f = decoder.decode(data, offset, length);
        if (f == null) {
            return null;
        }
        return new PstoreRecord(f.typeCode(), NAME, f.id(), Instant.ofEpochMilli(f.timeMillis()), f.reasonCode(), f.count(),
                f.part(), f.compressed(), f.payloadLength(), f.bootId(), f.pid(), f.host(), f.jvm(), location, key,
                f.revision(), f.lastPart());
    }

    @Override
    public byte[] payload(PstoreRecord record) {
        byte[] frame = frame(record);
        if (frame == null) {
            return null;
        }
        if (record.typeCode() == RecordType.CONSOLE.code()) {
            return frame;
        }
        RecordFormat.Frame f = new RecordFormat.Decoder().decode(frame, 0, frame.length);
        if (f == null) {
            return null;
        }
        return java.util.Arrays.copyOfRange(frame, f.payloadOffset(), f.payloadOffset() + f.payloadLength());
    }

    private byte[] frame(PstoreRecord record) {
        switch (record.location()) {
            case "store":
                return variable(record.key());
            case "panic-area": {
                String key = record.key();
                int colon = key.lastIndexOf(':');
                try {
                    return PanicArea.read(dir.resolve(key.substring(0, colon)), Integer.parseInt(key.substring(colon + 1)), record.id());
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            }
            case "journal":
                return consoleText(Long.parseLong(record.key()));
            case QuarantinedRecords.LOCATION:
                return quarantined.frame(record);
            default:
                return null;
        }
    }

    @Override
    public Status erase(PstoreRecord record) {
        if (services == null) {
            return Status.UNSUPPORTED;
        }
        try {
            switch (record.location()) {
                case "store": {
                    Status s = services.ops().set(VariableNaming.DUMP, record.key(), 0, null, 0, 0);
                    if (s.ok() && pmsg != null) {
                        pmsg.forget(record.key());
                    }
                    return s;
                }
                case "panic-area": {
                    String key = record.key();
                    int colon = key.lastIndexOf(':');
                    Path file = dir.resolve(key.substring(0, colon));
                    return area != null && file.equals(area.file()) ? area.erase(record.id())
                            : PanicArea.erase(file, Integer.parseInt(key.substring(colon + 1)), record.id());
                }
                case "journal":
                    return eraseConsole(Long.parseLong(record.key()));
                case QuarantinedRecords.LOCATION:
                    return quarantined.erase(record);
                default:
                    return Status.NOT_FOUND;
            }
        } catch (IOException e) {
            return Status.DEVICE_ERROR;
        }
    }

    // ---- variables, live or read-only ----------------------------------------------------------------

    private interface VariableVisitor {
        void visit(CharSequence name, byte[] data, int offset, int length);

        default void restart() {
        }
    }

    private void forEachVariable(VariableVisitor v, Consumer<String> problems) {
        if (view != null) {
            long unreadable = view.forEach(new StoreView.Visitor() {
                @Override
                public void visit(org.pstore.core.Namespace ns, CharSequence name, int attrs, byte[] data, int off, int len) {
                    if (ns.equals(VariableNaming.DUMP)) {
                        v.visit(name, data, off, len);
                    }
                }

                @Override
                public void restart() {
                    v.restart();
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
        for (Status s; (s = ops.nextName(cursor)) == Status.OK; ) {
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

    private byte[] variable(String name) {
        VariableBuffer buf = new VariableBuffer(bufferSize + RecordFormat.MAX_HEADER);
        Status s = view != null ? view.get(VariableNaming.DUMP, name, buf) : services.ops().get(VariableNaming.DUMP, name, buf);
        return s == Status.OK ? buf.toByteArray() : null;
    }

    // ---- console -------------------------------------------------------------------------------------

    private void readConsole(Consumer<PstoreRecord> records, Consumer<String> problems) {
        if (consoleRefused || !LogFiles.exists(console(dir))) {
            return;
        }
        Set<Long> erased = erasedBoots();
        Map<Long, long[]> boots = new LinkedHashMap<>(); // boot -> {first time, bytes}
        long[] damaged = {0};
        scanConsole((boot, time, text, off, len) -> boots.computeIfAbsent(boot, k -> new long[] {time, 0})[1] += len, damaged);
        if (damaged[0] > 0) {
            problems.accept(damaged[0] + " damaged console journal entries skipped");
        }
        for (Map.Entry<Long, long[]> e : boots.entrySet()) {
            if (erased.contains(e.getKey())) {
                continue;
            }
            long[] b = e.getValue();
            records.accept(new PstoreRecord(RecordType.CONSOLE.code(), NAME, e.getKey() * RecordIds.PER_BOOT, Instant.ofEpochMilli(b[0]),
                    0, 0, 0, false, (int) Math.min(Integer.MAX_VALUE, b[1]), null, 0, "", "", "journal", Long.toString(e.getKey())));
        }
    }

    /** Receives each journal entry: a batch of lines, each ending in a newline. */
    private interface LineVisitor {
        void lines(long boot, long time, byte[] text, int offset, int length);
    }

    private void scanConsole(LineVisitor v, long[] damaged) {
        try (Journal.Reader r = Journal.openReadOnly(console(dir))) {
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

    /** The boot's console lines, or null when the journal holds none of that boot. One pass. */
    private byte[] consoleText(long boot) {
        if (consoleRefused) {
            return null;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        boolean[] seen = {false};
        scanConsole((b, time, text, off, len) -> {
            if (b == boot) {
                seen[0] = true;
                if (out.size() + len <= MAX_CONSOLE_TEXT) {
                    out.write(text, off, len);
                }
            }
        }, new long[1]);
        return seen[0] ? out.toByteArray() : null;
    }

    /** The runs whose console record was erased (their journal lines stay until the journal drops them). */
    public Set<Long> erasedConsoleBoots() {
        return erasedBoots();
    }

    private Set<Long> erasedBoots() {
        Set<Long> erased = new java.util.HashSet<>();
        Path f = console(dir).resolve(CONSOLE_ERASED);
        if (Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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

    private Status eraseConsole(long boot) throws IOException {
        if (erasedBoots().contains(boot)) {
            return Status.NOT_FOUND;
        }
        // created 0600 when absent, appended to only when a regular file itself: never through a planted link
        StoreFiles.append(console(dir).resolve(CONSOLE_ERASED), (boot + "\n").getBytes(StandardCharsets.US_ASCII));
        return Status.OK;
    }

    /** The store directory. */
    public Path dir() {
        return dir;
    }

    public void close() {
        if (view != null) {
            view.close();
        }
    }

    // ---- pmsg retention ------------------------------------------------------------------------------

    /**
     * Keeps pmsg messages within their budget by erasing the oldest first, as a bounded journal does. The
     * messages kept are remembered by id and size in a ring of primitives (names are rebuilt when needed),
     * so a write adds no garbage for the bookkeeping.
     */
    private final class PmsgRetention {
        private final long budget;
        private final StringBuilder oldestName = new StringBuilder(64);
        private long[] ids = new long[1024];
        private long[] costs = new long[1024];
        private int head;
        private int count;
        private long bytes;

        PmsgRetention(long budget) {
            this.budget = budget;
        }

        void load() {
            List<long[]> found = new ArrayList<>();
            forEachVariable((name, data, offset, length) -> {
                VariableNaming.Parsed p = VariableNaming.parse(name);
                if (p != null && p.type() == RecordType.PMSG.code()) {
                    found.add(new long[] {p.id(), length});
                }
            }, problem -> { });
            found.sort(Comparator.comparingLong(k -> k[0]));
            for (long[] k : found) {
                add(k[0], k[1]);
            }
        }

        synchronized Status write(RecordWrite w) {
            long cost = w.length;
            if (cost > budget) {
                return Status.INVALID;
            }
            VariableOps ops = services.ops();
            while (count > 0 && bytes + cost > budget) {
                VariableNaming.format(oldestName, RecordType.PMSG.code(), 0, 0, ids[head], false);
                Status s = ops.set(VariableNaming.DUMP, oldestName, 0, null, 0, 0);
                if (!s.ok() && s != Status.NOT_FOUND) {
                    return s;
                }
                bytes -= costs[head];
                head = (head + 1) % ids.length;
                count--;
            }
            StringBuilder name = VariableNaming.format(w.name, RecordType.PMSG.code(), 0, 0, w.id, false);
            Status s = ops.set(VariableNaming.DUMP, name, Attributes.DEFAULT, w.frame, 0, w.length);
            w.storeStatus = s;
            if (s.ok()) {
                w.placed = RecordWrite.Placement.STORE;
                add(w.id, cost);
            }
            return s;
        }

        private void add(long id, long cost) {
            if (count == ids.length) {
                long[] moreIds = new long[ids.length * 2];
                long[] moreCosts = new long[ids.length * 2];
                for (int i = 0; i < count; i++) {
                    moreIds[i] = ids[(head + i) % ids.length];
                    moreCosts[i] = costs[(head + i) % ids.length];
                }
                ids = moreIds;
                costs = moreCosts;
                head = 0;
            }
            int at = (head + count) % ids.length;
            ids[at] = id;
            costs[at] = cost;
            count++;
            bytes += cost;
        }

        /** An erased pmsg no longer counts; its slot stays until retention passes it (erasing it again is harmless). */
        synchronized void forget(String name) {
            VariableNaming.Parsed p = VariableNaming.parse(name);
            if (p == null) {
                return;
            }
            for (int i = 0; i < count; i++) {
                int at = (head + i) % ids.length;
                if (ids[at] == p.id() && costs[at] > 0) {
                    bytes -= costs[at];
                    costs[at] = 0;
                    return;
                }
            }
        }
    }
}
