package org.pstore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.pstore.backend.EfiBackend;
import org.pstore.compress.Compression;
import org.pstore.core.Durability;
import org.pstore.core.FaultInjection;
import org.pstore.core.Mode;
import org.pstore.core.StoreConfig;
import org.pstore.core.store.JvmFlags;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicSettings;
import org.pstore.panic.Redaction;
import org.pstore.record.RecordFormat;

/**
 * Every setting of pstore, with its default, in one place. Store defaults come from core's
 * {@link StoreConfig} and panic defaults from {@link PanicSettings}; this class adds pstore's own and reads
 * them all from system properties or the environment ({@link #fromEnvironment()}), or from code
 * ({@link #builder()}). {@link Builder#build()} validates: a bad value is one clear line at boot.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>property</th><th>environment</th><th>default</th></tr>
 * <tr><td>pstore.dir</td><td>PSTORE_DIR</td><td>./pstore-data</td></tr>
 * <tr><td>pstore.mode</td><td>PSTORE_MODE</td><td>auto (auto | interruptible | legacy)</td></tr>
 * <tr><td>pstore.maxReason</td><td>PSTORE_MAX_REASON</td><td>oops (panic | oops | emerg | shutdown)</td></tr>
 * <tr><td>pstore.kmsgBytes</td><td>PSTORE_KMSG_BYTES</td><td>64k</td></tr>
 * <tr><td>pstore.compress</td><td>PSTORE_COMPRESS</td><td>deflate (deflate | none)</td></tr>
 * <tr><td>pstore.capacity</td><td>PSTORE_CAPACITY</td><td>8m</td></tr>
 * <tr><td>pstore.reserve</td><td>PSTORE_RESERVE</td><td>256k</td></tr>
 * <tr><td>pstore.recordSize</td><td>PSTORE_RECORD_SIZE</td><td>16k</td></tr>
 * <tr><td>pstore.durability</td><td>PSTORE_DURABILITY</td><td>process (process | power)</td></tr>
 * <tr><td>pstore.journalBytes</td><td>PSTORE_JOURNAL_BYTES</td><td>1m</td></tr>
 * <tr><td>pstore.pmsgBytes</td><td>PSTORE_PMSG_BYTES</td><td>1m, or a quarter of capacity minus reserve if less</td></tr>
 * <tr><td>pstore.opTimeout</td><td>PSTORE_OP_TIMEOUT</td><td>10s</td></tr>
 * <tr><td>pstore.panic.action</td><td>PSTORE_PANIC_ACTION</td><td>exit (halt | exit | continue)</td></tr>
 * <tr><td>pstore.panic.exitStatus</td><td>PSTORE_PANIC_EXIT_STATUS</td><td>70</td></tr>
 * <tr><td>pstore.panic.timeout</td><td>PSTORE_PANIC_TIMEOUT</td><td>10s</td></tr>
 * <tr><td>pstore.panic.notifierTimeout</td><td>PSTORE_PANIC_NOTIFIER_TIMEOUT</td><td>2s</td></tr>
 * <tr><td>pstore.panic.threadDepth</td><td>PSTORE_PANIC_THREAD_DEPTH</td><td>128</td></tr>
 * <tr><td>pstore.panicOnOops</td><td>PSTORE_PANIC_ON_OOPS</td><td>false</td></tr>
 * <tr><td>pstore.redact</td><td>PSTORE_REDACT</td><td>password,passwd,secret,token,key,credential,auth</td></tr>
 * <tr><td>pstore.watchdog.interval</td><td>PSTORE_WATCHDOG_INTERVAL</td><td>1s</td></tr>
 * <tr><td>pstore.watchdog.workerTimeout</td><td>PSTORE_WATCHDOG_WORKER_TIMEOUT</td><td>10s</td></tr>
 * <tr><td>pstore.service</td><td>PSTORE_SERVICE</td><td>none (the export then says unknown_service:java)</td></tr>
 * </table>
 */
public final class PstoreConfig {
    public static final Path DEFAULT_DIR = Path.of("pstore-data");
    /** As Linux efi-pstore: oops and panic dumps, not shutdowns. */
    public static final DumpReason DEFAULT_MAX_REASON = DumpReason.OOPS;
    /** As Linux's pstore.kmsg_bytes, raised for Java's longer lines. */
    public static final int DEFAULT_KMSG_BYTES = 64 << 10;
    public static final Compression DEFAULT_COMPRESSION = Compression.DEFLATE;
    /** The backend's buffer size: the largest payload of one dmesg part. */
    public static final int DEFAULT_RECORD_SIZE = 16 << 10;
    public static final long DEFAULT_JOURNAL_BYTES = 1L << 20;
    /** The pmsg budget when capacity allows; smaller stores get a quarter of what the reserve leaves. */
    public static final long DEFAULT_PMSG_BYTES = 1L << 20;
    public static final Duration DEFAULT_WORKER_TIMEOUT = Duration.ofSeconds(10);
    /** The longest service name: OpenTelemetry's service.name is a label, not a text. */
    public static final int MAX_SERVICE_LENGTH = 255;

    private final Path dir;
    private final Mode mode;
    private final DumpReason maxReason;
    private final int kmsgBytes;
    private final Compression compression;
    private final long capacity;
    private final long reserve;
    private final int recordSize;
    private final Durability durability;
    private final long journalBytes;
    private final long pmsgBytes;
    private final Duration opTimeout;
    private final PanicSettings panic;
    private final Duration workerTimeout;
    private final FaultInjection faultInjection;
    private final String service;
    /** The settings given explicitly (by name, e.g. "capacity"), as opposed to defaults. */
    private final java.util.Set<String> told;

    private PstoreConfig(Builder b) {
        this.dir = b.dir;
        this.mode = b.mode;
        this.maxReason = b.maxReason;
        this.kmsgBytes = b.kmsgBytes;
        this.compression = b.compression;
        this.capacity = b.capacity;
        this.reserve = b.reserve;
        this.recordSize = b.recordSize;
        this.durability = b.durability;
        this.journalBytes = b.journalBytes;
        this.pmsgBytes = b.pmsgBytes >= 0 ? b.pmsgBytes : Math.min(DEFAULT_PMSG_BYTES, Math.max(4096, (b.capacity - b.reserve) / 4));
        this.opTimeout = b.opTimeout;
        this.panic = b.panic.reportBytes(b.kmsgBytes / 2).ownFlags(JvmFlags.required()).build();
        this.workerTimeout = b.workerTimeout;
        this.faultInjection = b.faultInjection;
        this.service = b.service;
        this.told = java.util.Set.copyOf(b.told);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings from system properties, then the environment, then the defaults. */
    public static PstoreConfig fromEnvironment() {
        return from(System::getProperty, System.getenv());
    }

    /**
     * Settings from the Java agent's options ({@code dir=/var/lib/app/pstore,kmsgBytes=128k}: each setting by
     * its name without {@code pstore.}), then system properties, then the environment, then the defaults.
     * An option that names no setting is refused like a bad value.
     */
    public static PstoreConfig fromOptions(Map<String, String> options) {
        return from(options, System::getProperty, System.getenv());
    }

    static PstoreConfig from(Function<String, String> properties, Map<String, String> environment) {
        return from(Map.of(), properties, environment);
    }

    /**
     * One setting's raw text as {@link #fromOptions} would find it (agent option, system property, environment),
     * or null: for the agent, which needs the directory and the log tail's size before the rest is validated.
     */
    public static String raw(Map<String, String> options, String property) {
        Settings.Source src = new Settings(options, System::getProperty, System.getenv()).get(property);
        return src == null ? null : src.value();
    }

    /** A size as settings take it ({@code 64k}), or {@code fallback} when it is not one. */
    public static long sizeOr(String text, long fallback) {
        try {
            return text == null ? fallback : Settings.size(text);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    static PstoreConfig from(Map<String, String> options, Function<String, String> properties, Map<String, String> environment) {
        Settings s = new Settings(options, properties, environment);
        Builder b = builder();
        read(s, "pstore.dir", v -> b.dir(Path.of(nonEmpty(v))), "a directory");
        read(s, "pstore.mode", v -> b.mode(Mode.parse(v)), "auto, interruptible or legacy");
        read(s, "pstore.maxReason", v -> b.maxReason(DumpReason.parse(v)), "panic, oops, emerg or shutdown");
        read(s, "pstore.kmsgBytes", v -> b.kmsgBytes(Math.toIntExact(Settings.size(v))), "a size such as 64k");
        read(s, "pstore.compress", v -> b.compression(Compression.parse(v)), "deflate or none");
        read(s, "pstore.capacity", v -> b.capacity(Settings.size(v)), "a size such as 8m");
        read(s, "pstore.reserve", v -> b.reserve(Settings.size(v)), "a size such as 256k");
        read(s, "pstore.recordSize", v -> b.recordSize(Math.toIntExact(Settings.size(v))), "a size such as 16k");
        read(s, "pstore.durability", v -> b.durability(Durability.parse(v)), "process or power");
        read(s, "pstore.journalBytes", v -> b.journalBytes(Settings.size(v)), "a size such as 1m");
        read(s, "pstore.pmsgBytes", v -> b.pmsgBytes(Settings.size(v)), "a size such as 1m");
        read(s, "pstore.opTimeout", v -> b.opTimeout(Settings.duration(v)), "a duration such as 10s");
        read(s, "pstore.panic.action", v -> b.panic.action(PanicAction.parse(v)), "halt, exit or continue");
        read(s, "pstore.panic.exitStatus", v -> b.panic.exitStatus(Integer.parseInt(v)), "a number 0..255");
        read(s, "pstore.panic.timeout", v -> b.panic.timeout(Settings.duration(v)), "a duration such as 10s");
        read(s, "pstore.panic.notifierTimeout", v -> b.panic.notifierTimeout(Settings.duration(v)), "a duration such as 2s");
        read(s, "pstore.panic.threadDepth", v -> b.panic.threadDepth(Integer.parseInt(v)),
                "a number of frames, 1.." + PanicSettings.MAX_THREAD_DEPTH);
        read(s, "pstore.panicOnOops", v -> b.panic.panicOnOops(Settings.bool(v)), "true or false");
        read(s, "pstore.redact", v -> b.panic.redaction(Redaction.of(List.of(v.split(",")))),
                "words, comma-separated (names containing one have their values masked)");
        read(s, "pstore.watchdog.interval", v -> b.panic.watchdogInterval(Settings.duration(v)), "a duration such as 1s");
        read(s, "pstore.watchdog.workerTimeout", v -> b.workerTimeout(Settings.duration(v)), "a duration such as 10s");
        read(s, "pstore.service", b::service, "a name of 1 to " + MAX_SERVICE_LENGTH + " printable characters");
        for (String option : options.keySet()) {
            if (!s.known().contains(option)) {
                throw new IllegalArgumentException("unknown agent option " + option + " (the settings are: "
                        + String.join(", ", s.known()) + ")");
            }
        }
        return b.build();
    }

    private static String nonEmpty(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return v;
    }

    private static void read(Settings s, String property, java.util.function.Consumer<String> apply, String expected) {
        Settings.Source src = s.get(property);
        if (src == null) {
            return;
        }
        try {
            apply.accept(src.value());
        } catch (RuntimeException e) {
            throw src.bad(expected);
        }
    }

    public Path dir() {
        return dir;
    }

    public Mode mode() {
        return mode;
    }

    public DumpReason maxReason() {
        return maxReason;
    }

    public int kmsgBytes() {
        return kmsgBytes;
    }

    public Compression compression() {
        return compression;
    }

    public long capacity() {
        return capacity;
    }

    public long reserve() {
        return reserve;
    }

    public int recordSize() {
        return recordSize;
    }

    public Durability durability() {
        return durability;
    }

    public long journalBytes() {
        return journalBytes;
    }

    public long pmsgBytes() {
        return pmsgBytes;
    }

    public Duration opTimeout() {
        return opTimeout;
    }

    public PanicSettings panic() {
        return panic;
    }

    public Duration workerTimeout() {
        return workerTimeout;
    }

    public FaultInjection faultInjection() {
        return faultInjection;
    }

    /**
     * The name of the service this application is, recorded in the store's marker at boot; the export gives it
     * as OpenTelemetry's {@code service.name}. Empty when not set.
     */
    public java.util.Optional<String> service() {
        return java.util.Optional.ofNullable(service);
    }

    /** Whether {@code setting} (a builder method's name, e.g. "capacity") was given rather than defaulted. */
    public boolean told(String setting) {
        return told.contains(setting);
    }

    /** The core store's settings, under {@code <dir>/vars}. */
    public StoreConfig storeConfig() {
        return StoreConfig.builder(EfiBackend.vars(dir)).capacity(capacity).reserve(reserve)
                .maxVariableSize(recordSize + RecordFormat.MAX_HEADER).durability(durability).mode(mode)
                .opTimeout(opTimeout).faultInjection(faultInjection).build();
    }

    /** Parts one dump takes at most. */
    public int partsPerDump() {
        return (kmsgBytes + recordSize - 1) / (recordSize - 128) + 1;
    }

    public Builder toBuilder() {
        Builder b = new Builder().dir(dir).mode(mode).maxReason(maxReason).kmsgBytes(kmsgBytes).compression(compression)
                .capacity(capacity).reserve(reserve).recordSize(recordSize).durability(durability)
                .journalBytes(journalBytes).pmsgBytes(pmsgBytes).opTimeout(opTimeout).workerTimeout(workerTimeout)
                .faultInjection(faultInjection);
        b.service = service;
        b.panic = panic.toBuilder();
        b.told.clear();
        b.told.addAll(told);
        if (!told("pmsgBytes")) {
            b.pmsgBytes = -1; // still derived from capacity
        }
        return b;
    }

    public static final class Builder {
        private Path dir = DEFAULT_DIR;
        private Mode mode = Mode.AUTO;
        private DumpReason maxReason = DEFAULT_MAX_REASON;
        private int kmsgBytes = DEFAULT_KMSG_BYTES;
        private Compression compression = DEFAULT_COMPRESSION;
        private long capacity = StoreConfig.DEFAULT_CAPACITY;
        private long reserve = StoreConfig.DEFAULT_RESERVE;
        private int recordSize = DEFAULT_RECORD_SIZE;
        private Durability durability = Durability.PROCESS;
        private long journalBytes = DEFAULT_JOURNAL_BYTES;
        private long pmsgBytes = -1;
        private Duration opTimeout = StoreConfig.DEFAULT_OP_TIMEOUT;
        private PanicSettings.Builder panic = PanicSettings.builder();
        private Duration workerTimeout = DEFAULT_WORKER_TIMEOUT;
        private FaultInjection faultInjection = FaultInjection.NONE;
        private String service;
        private final java.util.Set<String> told = new java.util.HashSet<>();

        public Builder dir(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder maxReason(DumpReason maxReason) {
            this.maxReason = Objects.requireNonNull(maxReason, "maxReason");
            return this;
        }

        public Builder kmsgBytes(int kmsgBytes) {
            this.kmsgBytes = kmsgBytes;
            return this;
        }

        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        public Builder capacity(long capacity) {
            this.capacity = capacity;
            told.add("capacity");
            return this;
        }

        public Builder reserve(long reserve) {
            this.reserve = reserve;
            told.add("reserve");
            return this;
        }

        public Builder recordSize(int recordSize) {
            this.recordSize = recordSize;
            told.add("recordSize");
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder journalBytes(long journalBytes) {
            this.journalBytes = journalBytes;
            told.add("journalBytes");
            return this;
        }

        public Builder pmsgBytes(long pmsgBytes) {
            this.pmsgBytes = pmsgBytes;
            told.add("pmsgBytes");
            return this;
        }

        public Builder opTimeout(Duration opTimeout) {
            this.opTimeout = Objects.requireNonNull(opTimeout, "opTimeout");
            return this;
        }

        /** The panic settings (action, exit status, timeouts, panicOnOops, watchdog interval). */
        public Builder panic(java.util.function.UnaryOperator<PanicSettings.Builder> edit) {
            this.panic = edit.apply(panic);
            return this;
        }

        public Builder workerTimeout(Duration workerTimeout) {
            this.workerTimeout = Objects.requireNonNull(workerTimeout, "workerTimeout");
            return this;
        }

        /** For tests and the demo: make the storage slow, stuck or failing at a chosen point. */
        public Builder faultInjection(FaultInjection faultInjection) {
            this.faultInjection = Objects.requireNonNull(faultInjection, "faultInjection");
            return this;
        }

        /** The service name recorded at boot (null: none); checked by {@link #build()}. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public PstoreConfig build() {
            check(!dir.toString().isEmpty(), "dir", dir, "a directory (empty would mean the working directory)");
            check(kmsgBytes >= 4096 && kmsgBytes <= (4 << 20), "kmsgBytes", kmsgBytes, "between 4k and 4m");
            check(recordSize >= 4096 && recordSize <= (1 << 20), "recordSize", recordSize, "between 4k and 1m");
            check(journalBytes >= (64 << 10) && journalBytes <= (1L << 32), "journalBytes", journalBytes, "between 64k and 4g");
            check(!workerTimeout.isNegative() && !workerTimeout.isZero(), "watchdog.workerTimeout", workerTimeout, "positive");
            check(service == null || validService(service), "service", service,
                    "a name of 1 to " + MAX_SERVICE_LENGTH + " printable characters");
            PstoreConfig config = new PstoreConfig(this);
            try {
                config.storeConfig(); // validates capacity, reserve, recordSize against the store's rules
            } catch (IllegalArgumentException e) {
                // said in the words of the settings: "maxVariableSize" is the record size plus its header
                String m = e.getMessage().replaceFirst("^maxVariableSize", "recordSize plus its header");
                throw new IllegalArgumentException("bad setting pstore." + m.substring(0, Math.max(0, m.indexOf(' '))) + ": " + m, e);
            }
            long pmsg = config.pmsgBytes();
            check(pmsg >= 4096 && pmsg <= (capacity - reserve) / 2, "pmsgBytes", pmsg,
                    "between 4k and half of capacity minus reserve (" + (capacity - reserve) / 2 + ")");
            long dumpBytes = (long) config.partsPerDump() * (recordSize + RecordFormat.MAX_HEADER + 200);
            check(reserve >= dumpBytes, "reserve", reserve, "at least one full crash dump (" + dumpBytes + " bytes for kmsgBytes="
                    + kmsgBytes + ", recordSize=" + recordSize + ")");
            return config;
        }

        /** Printable, one line, bounded: it goes into the marker's key value lines and every exported record. */
        private static boolean validService(String s) {
            return !s.isBlank() && s.length() <= MAX_SERVICE_LENGTH && s.codePoints().noneMatch(Character::isISOControl);
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                String shown = String.valueOf(value).replace("\n", "\\n").replace("\r", "\\r").replaceAll("\\p{Cntrl}", "?");
                throw new IllegalArgumentException("bad setting pstore." + name + "=" + shown + ": expected " + expected);
            }
        }
    }
}
