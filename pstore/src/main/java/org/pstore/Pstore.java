package org.pstore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.pstore.boot.Boot;
import org.pstore.boot.BootClaim;
import org.pstore.capture.CaptureRing;
import org.pstore.core.Status;
import org.pstore.core.StoreException;
import org.pstore.panic.PanicMachine;

/**
 * pstore for the JVM: boot it once, early; from then on recent log lines, application messages and, when
 * the process dies, a crash record are kept in a local store that survives the process.
 *
 * <pre>{@code
 * Pstore.boot();                          // settings from -Dpstore.* or PSTORE_* (see PstoreConfig)
 * Pstore.pmsg("order 42 accepted");       // persisted before it returns
 * Pstore.log("something worth keeping");  // into the capture ring (java.util.logging is captured too)
 * }</pre>
 */
public final class Pstore {
    private static final Object BOOT_LOCK = new Object();
    private static volatile Pstore instance;

    private final Boot.Booted booted;
    private final PanicMachine machine;

    private Pstore(Boot.Booted booted, PanicMachine machine) {
        this.booted = booted;
        this.machine = machine;
    }

    /** Boots from system properties and the environment. Idempotent: later calls return the same instance. */
    public static Pstore boot() {
        Pstore p = instance;
        return p != null ? p : boot(readConfig());
    }

    /**
     * Boots with {@code config}. Idempotent: once booted, returns the running instance (and ignores {@code config}).
     * When another copy of pstore already runs in this JVM (the Java agent's), throws {@link PstoreException}
     * with status {@link Status#BUSY} saying which.
     */
    public static Pstore boot(PstoreConfig config) {
        synchronized (BOOT_LOCK) {
            if (instance == null) {
                BootClaim claim;
                try {
                    claim = BootClaim.take("Pstore.boot(), store " + config.dir().toAbsolutePath());
                } catch (PstoreException e) {
                    throw new PstoreException(e.status(), "pstore cannot boot: " + e.getMessage(), e);
                }
                boot(config, claim, null);
            }
            return instance;
        }
    }

    /**
     * For the Java agent: boots with the claim it took before {@code main} and the capture ring it has been
     * filling since ({@code null}: a new one). Not idempotent; the claim is released when boot fails.
     */
    public static Pstore boot(PstoreConfig config, BootClaim claim, CaptureRing ring) {
        synchronized (BOOT_LOCK) {
            if (instance != null) {
                return instance;
            }
            try {
                Boot.Booted b = Boot.open(config, ring);
                try {
                    instance = new Pstore(b, Boot.arm(b));
                } catch (RuntimeException | Error e) {
                    b.close();
                    throw e;
                }
                claim.running();
                return instance;
            } catch (StoreException e) {
                claim.release();
                throw new PstoreException(e.status(), "pstore cannot boot: " + e.getMessage(), e);
            } catch (PstoreException e) {
                claim.release();
                throw e.getMessage().startsWith("pstore cannot boot") ? e
                        : new PstoreException(e.status(), "pstore cannot boot: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                claim.release();
                // every boot failure is one PstoreException, so an application that catches it runs on without pstore
                throw new PstoreException(Status.DEVICE_ERROR, "pstore cannot boot: " + e, e);
            } catch (Error e) {
                claim.release();
                throw e;
            }
        }
    }

    private static PstoreConfig readConfig() {
        try {
            return PstoreConfig.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new PstoreException(Status.INVALID, "pstore cannot boot: " + e.getMessage(), e);
        }
    }

    /** The booted instance, if any. */
    public static Optional<Pstore> current() {
        return Optional.ofNullable(instance);
    }

    private static Pstore booted() {
        Pstore p = instance;
        if (p == null) {
            throw new PstoreException(Status.UNSUPPORTED, "pstore is not booted: call Pstore.boot() first");
        }
        return p;
    }

    /** Persists an application message (UTF-8); returns once it is in the store, throws {@link PstoreException} if it cannot be. */
    public static long pmsg(String message) {
        byte[] bytes = Objects.requireNonNull(message, "pmsg message").getBytes(StandardCharsets.UTF_8);
        return booted().booted.pmsg().write(bytes, 0, bytes.length);
    }

    /** Persists an application message; returns its record id once it is in the store. */
    public static long pmsg(byte[] message) {
        Objects.requireNonNull(message, "pmsg message");
        return booted().booted.pmsg().write(message, 0, message.length);
    }

    /** Adds a line to the capture ring (and so to the console journal and any crash record). Lock-free; null logs "null", as loggers do. */
    public static void log(CharSequence line) {
        Pstore p = booted();
        p.booted.ring().println(line == null ? "null" : line);
        p.booted.console().nudge();
    }

    public PstoreConfig config() {
        return booted.config();
    }

    public Path dir() {
        return booted.config().dir();
    }

    /** The ops table in force and why, e.g. "legacy (legacy: probe write median 12 us ...)". */
    public String mode() {
        return booted.services().modeInForce();
    }

    /** The record id boot number of this run. */
    public long bootNumber() {
        return booted.identity().bootNumber();
    }

    public PanicMachine panicMachine() {
        return machine;
    }

    /** Internals for tests, the demo and benchmarks; not a stable API. */
    public Boot.Booted internals() {
        return booted;
    }
}
