package org.pstore.core.ops;

import java.lang.System.Logger.Level;

import org.pstore.core.Mode;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableOps;
import org.pstore.core.store.StoreHealth;
import org.pstore.core.store.VariableStore;

/**
 * The variable store and its runtime services, wired: the store lock, both ops tables (built up front),
 * the registry with the table the mode decided, and the switch the panic notifier pulls.
 */
public final class RuntimeServices implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.pstore.core");
    /** Why the legacy ops are in force: constants, so that a switch allocates nothing. */
    public static final String SWITCHED_AT_PANIC = "switched to the legacy ops at panic";
    public static final String SWITCHED_WORKER_STUCK = "switched to the legacy ops: the worker was stuck in a store operation";
    private static final String WORKER_DISABLED = "the worker was disabled by a fatal fault; legacy ops took over";

    private final VariableStore store;
    private final StoreLock lock = new StoreLock();
    private final LegacyOps legacy;
    private final Worker worker;
    private final WorkerOps interruptible;
    private final OpsRegistry registry = new OpsRegistry();
    private ModeDecision decision;
    /** When the operation the watchdog found stuck began (the worker's busySince then); 0 before any such switch. */
    private volatile long stuckSince;

    private RuntimeServices(VariableStore store) {
        this.store = store;
        long timeout = store.config().opTimeout().toNanos();
        this.legacy = new LegacyOps(store, lock, timeout);
        this.worker = new Worker(legacy, this::workerFailed);
        this.interruptible = new WorkerOps(worker, legacy, timeout);
        this.decision = ModeProbe.decide(store.config(), store);
        VariableOps active = decision.mode() == Mode.INTERRUPTIBLE ? interruptible : legacy;
        if (active == interruptible) {
            try {
                worker.start();
            } catch (OutOfMemoryError | InternalError noThread) { // "unable to create native thread"
                if (store.config().mode() != Mode.AUTO) {
                    throw noThread;
                }
                decision = new ModeDecision(Mode.LEGACY, "the worker thread could not start (" + noThread.getMessage()
                        + "): direct calls", decision.medianMicros());
                active = legacy;
            }
        }
        registry.register(active, decision.mode().word() + ": " + decision.reason());
        // A library adds nothing to its host's output on a normal boot: the decision is in the marker and stat.
        LOG.log(Level.DEBUG, "pstore store {0}: {1} ops, {2}", store.dir(), active.name(), decision.reason());
    }

    public static RuntimeServices open(StoreConfig config) {
        VariableStore store = VariableStore.open(config);
        try {
            return new RuntimeServices(store);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }

    /** The active ops table: what every normal caller uses. */
    public VariableOps ops() {
        return registry.active();
    }

    /** The prepared legacy table, the one the panic path writes through. */
    public LegacyOps legacyOps() {
        return legacy;
    }

    public VariableOps interruptibleOps() {
        return interruptible;
    }

    public OpsRegistry registry() {
        return registry;
    }

    public StoreLock lock() {
        return lock;
    }

    /**
     * The panic notifier's action: one atomic swap to the legacy ops; idempotent, allocation-free. Returns
     * the table that was active; when it already was the legacy one, the reason it was stays as it is.
     */
    public VariableOps switchToLegacy(String why) {
        if (why == SWITCHED_WORKER_STUCK) {
            stuckSince = worker.busySince(); // before the switch: workerStuck() is read once it is in force
        }
        return registry.switchTo(legacy, why);
    }

    /** Wake-ups of the worker that found work, and the requests they ran as groups (racy: for notes). */
    public long[] workerGroups() {
        return new long[] {worker.groups(), worker.grouped()};
    }

    public ModeDecision decision() {
        return decision;
    }

    /** The table in force now and why (after a switch, the switch's reason). */
    public String modeInForce() {
        return registry.active().name() + " (" + registry.reason() + ")";
    }

    /** How long the worker has been inside its current operation; 0 when idle or not running. */
    public long workerBusyNanos() {
        return worker.busyNanos();
    }

    /**
     * Whether the watchdog found the worker stuck and the worker is still inside that operation: whatever it
     * holds (the store lock) stays held, however briefly it has been so far. Once that operation ends, the
     * requests still queued that the worker runs next are ordinary ones. Allocation-free.
     */
    public boolean workerStuck() {
        long since = stuckSince;
        return since != 0 && registry.reason() == SWITCHED_WORKER_STUCK && worker.busySince() == since;
    }

    public Thread workerThread() {
        return worker.thread();
    }

    public StoreHealth health() {
        Status s = lock.acquire(store.config().opTimeout().toNanos());
        if (!s.ok()) {
            throw new org.pstore.core.StoreException(s, "store health unavailable: " + s.description());
        }
        try {
            return store.health();
        } finally {
            lock.release();
        }
    }

    public StoreConfig config() {
        return store.config();
    }

    /** Entries in the store's log, dead ones included (under the lock): what writes cost in entries. */
    public long logEntries() {
        Status s = lock.acquire(store.config().opTimeout().toNanos());
        if (!s.ok()) {
            throw new org.pstore.core.StoreException(s, "store figures unavailable: " + s.description());
        }
        try {
            return store.entryCount();
        } finally {
            lock.release();
        }
    }

    /** Space figures through the active table. */
    public Status query(StoreSpace out) {
        return ops().query(out);
    }

    private void workerFailed(Throwable fault) {
        registry.switchTo(legacy, WORKER_DISABLED);
        LOG.log(Level.WARNING, "pstore worker disabled after a fatal fault; the store continues on the legacy ops", fault);
    }

    /**
     * Stops the worker and closes the store once no operation is in progress (waiting up to the op timeout).
     * A store whose lock stays held by a stuck thread is left open: unmapping it under that thread could
     * crash the JVM, and the kernel releases everything when the process ends anyway.
     */
    @Override
    public void close() {
        worker.stop();
        Status s = lock.acquire(store.config().opTimeout().toNanos());
        if (!s.ok()) {
            LOG.log(Level.WARNING, "pstore store {0} left open: its lock is still held ({1})", store.dir(), s.description());
            return;
        }
        try {
            store.close();
        } finally {
            lock.release();
        }
    }
}
