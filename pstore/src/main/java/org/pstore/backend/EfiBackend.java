package org.pstore.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.pstore.core.Durability;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.journal.Journal;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.core.store.StoreFiles;
import org.pstore.core.store.StoreView;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordType;

/**
 * The efi backend: a dispatcher over the locations a record lives in, as Linux's {@code ram.c} dispatches
 * to its zones. Each location owns its files, its open (read-only or writable), validation, reading,
 * erasing and healing, and its own crash-time write:
 * <ul>
 *   <li>{@link VariableZone}: the variable store ({@code vars/}): dmesg parts, pmsg messages (kept within
 *       their budget by {@link PmsgRetention}), healing notes;</li>
 *   <li>{@link PanicZone}: the panic area ({@code panic.area}): a crash record the store cannot take at that
 *       instant (its lock held by a stuck operation, or the store failing) goes there rather than nowhere;</li>
 *   <li>{@link ConsoleZone}: the console journal ({@code console/});</li>
 *   <li>{@link QuarantinedRecords}: what is still readable in files a boot moved into the quarantine.</li>
 * </ul>
 * Attached at boot it writes; opened read-only (post-mortem, or beside a running application) it lists,
 * reads, and leaves everything as it is; opened for erase it edits in place, the writer lock held.
 */
public final class EfiBackend implements Backend {
    public static final String NAME = "efi";
    public static final String CONSOLE_DIR = ConsoleZone.DIR;
    public static final String VARS_DIR = VariableZone.DIR;
    /** The tombstones of erased quarantined records, beside the quarantine. */
    public static final String QUARANTINE_ERASED = QuarantinedRecords.ERASED;
    /** A console record's text held in memory at most; the journal's own bound is far below. */
    static final int MAX_CONSOLE_TEXT = 64 << 20;

    private final Path dir;
    private final int bufferSize;
    private final VariableZone vars;
    private final PanicZone area;
    private final ConsoleZone console;
    private final QuarantinedRecords quarantined;
    /** The writer's pmsg frontend's storage: null when not attached. */
    private final PmsgRetention pmsg;
    /** Locations a reader did not open (their files were not what they claim), one line each. */
    private final List<String> refused;

    private EfiBackend(Path dir, int bufferSize, VariableZone vars, PanicZone area, ConsoleZone console, PmsgRetention pmsg,
                       List<String> refused) {
        this.dir = dir;
        this.bufferSize = bufferSize;
        this.vars = vars;
        this.area = area;
        this.console = console;
        this.quarantined = new QuarantinedRecords(dir);
        this.pmsg = pmsg;
        this.refused = List.copyOf(refused);
    }

    /** Where the variable store lives in the store directory {@code dir}. */
    public static Path vars(Path dir) {
        return dir.resolve(VariableZone.DIR);
    }

    /** Where the console journal lives in the store directory {@code dir}. */
    public static Path console(Path dir) {
        return dir.resolve(ConsoleZone.DIR);
    }

    /**
     * What the writer's locations are made of: the variable store's configuration, the largest record, the
     * panic area's slots, the console journal's and the pmsg budget's bounds, and how durable a write is.
     */
    public record Sizes(StoreConfig store, int recordSize, int panicSlots, long journalBytes, long pmsgBudget, Durability durability) {
    }

    /**
     * The writer: each location opened for writing by its own zone (the variable store, the panic area, the
     * console journal, in that order: the store's writer lock first), each validating and healing its own
     * files and telling {@code healer}. What opened is closed again when a later location fails.
     */
    public static EfiBackend openWritable(Path dir, Sizes sizes, Healer healer) {
        VariableZone vars = VariableZone.openWritable(dir, sizes.store(), sizes.recordSize(), healer);
        PanicZone area = null;
        ConsoleZone console = null;
        try {
            area = PanicZone.openWritable(dir, RecordFormat.MAX_HEADER + sizes.recordSize(), sizes.panicSlots(), sizes.durability(), healer);
            console = ConsoleZone.openWritable(dir, sizes.journalBytes(), sizes.durability(), healer);
            PmsgRetention pmsg = new PmsgRetention(vars, sizes.pmsgBudget());
            pmsg.load();
            return new EfiBackend(dir, sizes.recordSize(), vars, area, console, pmsg, List.of());
        } catch (RuntimeException | Error e) {
            if (console != null) {
                console.journal().close();
            }
            if (area != null) {
                area.area().close();
            }
            vars.services().close();
            throw e;
        }
    }

    /** The writer's runtime services (its ops tables and worker); null for a reader. */
    public RuntimeServices services() {
        return vars.services();
    }

    /** The writer's panic area; null for a reader or an eraser. */
    public PanicArea panicArea() {
        return area.area();
    }

    /** The writer's console journal; null for a reader or an eraser. */
    public Journal journal() {
        return console.journal();
    }

    /**
     * An eraser for a post-mortem reader: the store open for writing (its writer lock taken), the panic area
     * and the console journal edited in place.
     */
    public static EfiBackend forErase(Path dir, RuntimeServices services) {
        return new EfiBackend(dir, 0, VariableZone.writable(services, 0), new PanicZone(dir, null), new ConsoleZone(console(dir), null, false),
                null, List.of());
    }

    /**
     * A reader: takes no lock and writes nothing. {@code capacity} and {@code journalBytes}, the store's own
     * (from its marker), bound the files a location may hold; a location whose files are not what they claim
     * (a link, a FIFO, someone else's, larger than it can hold) is not read, and the reader says so.
     */
    public static EfiBackend openReadOnly(Path dir, long capacity, long journalBytes) {
        List<String> refused = new ArrayList<>();
        Path varsDir = vars(dir);
        String varsProblem = StoreView.exists(varsDir) ? checkLocation(dir, varsDir, maxLogFile(capacity)) : null;
        VariableZone vars = VariableZone.readOnly(varsDir, varsProblem, refused);
        String consoleProblem = Files.isDirectory(console(dir)) ? checkLocation(dir, console(dir), maxLogFile(journalBytes)) : null;
        if (consoleProblem != null) {
            refused.add(consoleProblem);
        }
        return new EfiBackend(dir, 0, vars, new PanicZone(dir, null), new ConsoleZone(console(dir), null, consoleProblem != null), null, refused);
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

    // ---- writing: each type to its location ----------------------------------------------------------

    @Override
    public Status write(RecordWrite w) {
        if (!vars.writable()) {
            return Status.UNSUPPORTED;
        }
        if (w.type == RecordType.CONSOLE) {
            return console.write(w);
        }
        if (w.type == RecordType.PMSG) {
            return pmsg == null ? Status.UNSUPPORTED : pmsg.write(w);
        }
        if (vars.stuck()) {
            return panicWrite(w); // a dump must not wait behind a stuck store operation
        }
        if (vars.write(w).ok()) {
            return Status.OK;
        }
        return panicWrite(w); // a dump the store refused still must not be lost
    }

    /**
     * Crash time: the variable store's crash-time write; the panic area's when the store cannot take it now,
     * or fails in any way. Allocation-free, never waits.
     */
    @Override
    public Status panicWrite(RecordWrite w) {
        if (!vars.writable()) {
            return Status.UNSUPPORTED;
        }
        if (w.type == RecordType.CONSOLE) {
            return console.write(w);
        }
        if (vars.panicWrite(w).ok()) {
            return Status.OK;
        }
        if (area.panicWrite(w)) {
            return Status.OK;
        }
        w.placed = Location.NOWHERE;
        return Status.OUT_OF_RESOURCES;
    }

    @Override
    public void rehearse(RecordWrite w) {
        if (!vars.writable()) {
            return;
        }
        vars.rehearse(w);
        area.rehearse(w);
    }

    // ---- reading: every location, then the quarantine ------------------------------------------------

    @Override
    public void read(Consumer<PstoreRecord> records, Consumer<String> problems) {
        refused.forEach(problems);
        RecordFormat.Decoder decoder = new RecordFormat.Decoder();
        vars.read(decoder, records, problems);
        area.read(decoder, records, problems);
        console.read(records, problems);
        quarantined.read(records, problems);
    }

    static PstoreRecord decode(RecordFormat.Decoder decoder, byte[] data, int offset, int length, Location location, String key) {
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
        try {
            return switch (record.location()) {
                case STORE -> vars.frame(record.key());
                case PANIC_AREA -> area.frame(record);
                case JOURNAL -> console.text(Long.parseLong(record.key()));
                case QUARANTINE -> quarantined.frame(record);
                case NOWHERE -> null;
            };
        } catch (RuntimeException e) {
            return null; // a key this version did not make
        }
    }

    @Override
    public Status erase(PstoreRecord record) {
        if (!vars.writable()) {
            return Status.UNSUPPORTED;
        }
        try {
            switch (record.location()) {
                case STORE: {
                    Status s = vars.erase(record.key());
                    if (s.ok() && pmsg != null) {
                        pmsg.forget(record.key());
                    }
                    return s;
                }
                case PANIC_AREA:
                    return area.erase(record);
                case JOURNAL:
                    return console.erase(Long.parseLong(record.key()));
                case QUARANTINE:
                    return quarantined.erase(record);
                default:
                    return Status.NOT_FOUND;
            }
        } catch (IOException e) {
            return Status.DEVICE_ERROR;
        }
    }

    /** The runs whose console record was erased (their journal lines stay until the journal drops them). */
    public Set<Long> erasedConsoleBoots() {
        return console.erasedBoots();
    }

    /** The store directory. */
    public Path dir() {
        return dir;
    }

    public void close() {
        vars.close();
    }
}
