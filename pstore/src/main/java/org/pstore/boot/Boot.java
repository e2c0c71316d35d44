package org.pstore.boot;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.pstore.PstoreConfig;
import org.pstore.PstoreException;
import org.pstore.backend.BackendRegistry;
import org.pstore.backend.EfiBackend;
import org.pstore.backend.Healer;
import org.pstore.core.Status;
import org.pstore.backend.PanicArea;
import org.pstore.capture.CaptureRing;
import org.pstore.capture.CaptureSink;
import org.pstore.capture.JulCapture;
import org.pstore.core.journal.Journal;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.frontend.ConsoleJournal;
import org.pstore.frontend.DmesgDumper;
import org.pstore.frontend.HealingNote;
import org.pstore.frontend.Pmsg;
import org.pstore.lastwords.EndMark;
import org.pstore.lastwords.Heartbeat;
import org.pstore.lastwords.LastWords;
import org.pstore.lastwords.RunMark;
import org.pstore.panic.Panic;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.Priority;
import org.pstore.panic.trigger.Triggers;
import org.pstore.panic.trigger.Watchdog;
import org.pstore.record.DumpRevisions;
import org.pstore.record.Identity;
import org.pstore.record.Lifetime;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordIds;

/**
 * The boot sequence, the first of the four moments, in two steps ({@link org.pstore.Pstore#boot} runs both). {@link #open} makes the storage and the
 * frontends: the store open with its mode decided and both ops tables built, the panic area mapped and
 * touched, the lifetime counters moved on, the capture ring and its journal running. {@link #arm} touches
 * what is process-wide: it registers the ops switch (first) and the dmesg dumper in the panic machine's
 * chain, installs the triggers and the java.util.logging capture, and rehearses the crash-time path.
 * After it, everything the panic path needs exists.
 */
public final class Boot {
    private static final System.Logger LOG = System.getLogger("org.pstore");

    private Boot() {
    }

    /** Storage and frontends, nothing process-wide: {@link Booted#close()} undoes it all. */
    public static Booted open(PstoreConfig told) {
        return open(told, null);
    }

    /**
     * As {@link #open(PstoreConfig)}, with the capture ring made earlier ({@code null}: a new one): the Java
     * agent starts capturing before {@code main} and opens the store in the background, and the lines it
     * captured meanwhile reach the journal and any crash record.
     */
    public static Booted open(PstoreConfig told, CaptureRing earlyRing) {
        PstoreConfig config = StoreLayout.adopt(told); // the sizes the store was made with, unless told new ones
        List<String> healed = new ArrayList<>();
        StoreLayout.Made made = StoreLayout.prepare(config.dir(), healed);
        Healer healer = new Healer(config.dir(), healed);
        EfiBackend backend;
        try {
            // each location opens, validates and heals its own files
            backend = EfiBackend.openWritable(config.dir(), new EfiBackend.Sizes(config.storeConfig(), config.recordSize(),
                    2 * config.partsPerDump() + 2, config.journalBytes(), config.pmsgBytes(), config.durability()), healer);
        } catch (RuntimeException | Error e) {
            StoreLayout.abandon(config.dir(), made); // a failed boot leaves nothing half-made
            throw e;
        }
        RuntimeServices services = backend.services();
        PanicArea area = backend.panicArea();
        Journal journal = backend.journal();
        List<String> repaired = healer.repaired(); // lost nothing (a lock word a killed writer left): the journal only
        try {
            Lifetime lifetime = Lifetime.load(services.ops());
            List<PstoreRecord> found = new ArrayList<>();
            backend.read(found::add, problem -> LOG.log(System.Logger.Level.WARNING, "pstore: {0}", problem));
            found.forEach(lifetime::absorb);
            DumpRevisions.superseded(found).forEach(backend::erase); // a panic's early revision, now superseded
            long boot = lifetime.nextBoot();
            lifetime.save(services.ops());

            Identity identity = new Identity(UUID.randomUUID(), boot, ProcessHandle.current().pid(), Hosts.name(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
            RecordIds ids = new RecordIds(boot);
            // how the previous run ended, recorded before this one writes anything of its own; then this run's mark
            RunMark runMark = LastWords.atBoot(config.dir(), boot, found, r -> payloadOf(backend, r), backend, services.ops(), identity, ids,
                    config.recordSize(), config.panic().redaction(), problem -> LOG.log(System.Logger.Level.WARNING, "pstore: {0}", problem));
            CaptureRing ring = earlyRing != null ? earlyRing : newRing(config);
            // The marker names this boot before any of its lines can reach the journal: a reader that meets a
            // line of this boot then knows its run (an incremental export would otherwise ship it as unknown).
            java.util.Map<String, String> facts = Facts.of(
                    "boot", Long.toString(boot),
                    "pid", Long.toString(identity.pid()),
                    "bootId", identity.bootId().toString(),
                    "host", identity.host(),
                    "jvm", identity.jvm(),
                    "mode", services.modeInForce(),
                    "ops", services.ops().name(),
                    "opsSwitch", OpsSwitch.WHEN);
            config.service().ifPresent(name -> facts.put(StoreLayout.SERVICE, name));
            StoreLayout.describe(config.dir(), StoreSettings.of(config), facts);
            ConsoleJournal console = new ConsoleJournal(ring, backend, boot, 0); // from the first line the ring holds
            if (runMark != null) {
                console.onTick(new Heartbeat(runMark)); // the journal's thread runs anyway: it beats, at most once a second
            }
            console.start();
            DmesgDumper dumper = new DmesgDumper(ring, backend, identity, ids, lifetime, config.kmsgBytes(), config.compression());
            Pmsg pmsg = new Pmsg(backend, identity, ids, config.recordSize() + RecordFormat.MAX_HEADER);
            for (String r : repaired) {
                ring.println("[pstore] repaired: " + r);
            }
            if (!healed.isEmpty()) {
                // the damage is itself recorded: a record the reader lists, and lines in the journal
                for (String h : healed) {
                    ring.println("[pstore] healed: " + h);
                }
                HealingNote.write(backend, identity, ids, config.recordSize() + RecordFormat.MAX_HEADER, boot, healed);
            }

            ring.println("[pstore] boot " + boot + ": store " + config.dir() + ", " + services.modeInForce());
            return new Booted(config, services, area, journal, backend, ring, console, dumper, pmsg, identity, lifetime, runMark);
        } catch (RuntimeException | Error e) {
            journal.close();
            area.close();
            services.close();
            StoreLayout.abandon(config.dir(), made);
            throw e;
        }
    }

    /** A record's payload, decompressed (bounded); null when gone or when it does not decompress. */
    private static byte[] payloadOf(EfiBackend backend, PstoreRecord r) {
        byte[] stored = backend.payload(r);
        return stored == null || !r.compressed() ? stored : org.pstore.compress.Decompressor.inflate(stored, 0, stored.length);
    }

    /** The capture ring for {@code config}: four times the log tail a crash record keeps, uptime from the JVM's start. */
    public static CaptureRing newRing(PstoreConfig config) {
        long jvmStart = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        return new CaptureRing(4 * config.kmsgBytes(), jvmStart);
    }

    /**
     * The process-wide part: the rehearsal of the crash path first (nothing can panic into it yet), then the
     * panic machine with the ops switch and the dmesg dumper, the triggers, and the logging capture. pstore's
     * own threads get the panic handler, so that an OutOfMemoryError on one of them panics whatever default
     * handler the application sets.
     */
    public static PanicMachine arm(Booted b) {
        Status registered = BackendRegistry.PROCESS.register(b.backend());
        if (!registered.ok()) {
            throw new PstoreException(registered, "pstore cannot boot: backend " + BackendRegistry.PROCESS.backend().name()
                    + " is already registered in this process");
        }
        b.dumper().rehearse();
        PanicMachine machine = Panic.install(new PanicMachine(b.config().panic()));
        RuntimeServices services = b.services();
        machine.registerNotifier(OpsSwitch.NAME, Priority.SWITCH, new OpsSwitch(services, b.ring()));
        machine.registerDumper("pstore-dmesg", b.config().maxReason(), b.dumper());
        machine.console(new PanicRingConsole(machine, b.ring()));
        machine.arm();
        Triggers.install(machine);
        Watchdog.of(machine).watch("pstore-worker", services::workerBusyNanos, b.config().workerTimeout(), () -> {
            services.switchToLegacy(RuntimeServices.SWITCHED_WORKER_STUCK);
            machine.oops("pstore worker stuck in a store operation; the store continues on the legacy ops", null);
        });
        Thread.UncaughtExceptionHandler panics = Triggers.handler(machine);
        b.console().thread().setUncaughtExceptionHandler(panics);
        Thread worker = services.workerThread();
        if (worker != null) {
            worker.setUncaughtExceptionHandler(panics);
        }
        JulCapture.install(b.ring(), b.console()::nudge);
        CaptureSink.attach(b.ring(), b.console()::nudge); // the Logback, Log4j2 and stdout integrations
        // The journal trails the ring by a moment: at an orderly exit, copy what is left.
        Runtime.getRuntime().addShutdownHook(new Thread(b.console()::drain, "pstore-journal-flush"));
        if (b.runMark() != null) {
            EndMark.install(b.runMark(), b.config().panic().exitStatus()); // an orderly exit leaves its end mark
        }
        return machine;
    }

    /** What boot made. */
    public record Booted(PstoreConfig config, RuntimeServices services, PanicArea area, Journal journal, EfiBackend backend,
                         CaptureRing ring, ConsoleJournal console, DmesgDumper dumper, Pmsg pmsg, Identity identity,
                         Lifetime lifetime, RunMark runMark) {

        /** Stops the journal and closes the storage (tests and explicit shutdown; never at panic time). */
        public void close() {
            console.stop();
            if (runMark != null) {
                runMark.close();
            }
            journal.close();
            area.close();
            backend.close();
            services.close();
        }
    }
}
