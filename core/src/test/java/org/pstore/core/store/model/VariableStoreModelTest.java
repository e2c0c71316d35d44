package org.pstore.core.store.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Mode;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableOps;
import org.pstore.core.ops.LegacyOps;
import org.pstore.core.ops.RuntimeServices;
import org.pstore.core.store.StoreView;
import org.pstore.core.store.VariableStore;
import org.pstore.core.testing.Torture;

/**
 * The variable store against a model, in one process (torture suite, item 5): random sets, overwrites,
 * deletes, crash-time writes and compactions on a small store, each answer judged and applied to a
 * reference map; every few hundred operations the whole store is compared with the map, and now and then
 * it is closed, read through a read-only view, and reopened. Every acknowledged operation is reflected;
 * nothing else changes; a refusal is one the rules allow.
 */
class VariableStoreModelTest {
    static final StoreModel.Limits LIMITS = new StoreModel.Limits(256 << 10, 32 << 10);

    @TempDir
    Path dir;

    static StoreConfig config(Path dir) {
        return StoreConfig.builder(dir).capacity(LIMITS.capacity()).reserve(LIMITS.reserve()).maxVariableSize(4096).build();
    }

    @Test
    void everyAcknowledgedOperationIsReflectedAndNothingElse() {
        Torture.Report report = Torture.start("store model, in process");
        int operations = Torture.scale(100_000, 3_000_000);
        int minCompactions = Torture.scale(1_000, 30_000);
        Random random = report.random();
        RandomOps ops = new RandomOps(random, 150, 4096, 1);
        StoreModel model = new StoreModel();
        StoreConfig config = config(dir.resolve("vars"));
        StoreSpace space = new StoreSpace();
        long compactions = 0;
        long refused = 0;
        long crashRefused = 0;
        int reopens = 0;
        int comparisons = 0;
        report.tried(operations + " operations on a " + (LIMITS.capacity() >> 10) + " KiB store (reserve "
                + (LIMITS.reserve() >> 10) + " KiB), 150 names in each of 2 namespaces");
        VariableStore store = VariableStore.open(config);
        try {
            for (int i = 0; i < operations; i++) {
                Op op = ops.next(model, LIMITS);
                Status status = op.apply(store);
                VariableStore s = store;
                String wrong = model.judge(op, status, LIMITS, () -> {
                    s.query(space);
                    return space.used();
                });
                if (wrong != null) {
                    throw report.fail("op " + op + ": " + wrong);
                }
                if (status == Status.OUT_OF_RESOURCES) {
                    if (op.kind().crashTime()) {
                        crashRefused++;
                    } else {
                        refused++;
                    }
                }
                if (i % 500 == 499 || random.nextInt(2000) == 0) {
                    compare(report, model, store, space, "after op " + op.seq());
                    comparisons++;
                }
                if (random.nextInt(4000) == 0 || i == operations - 1) {
                    compactions += store.health().compactions();
                    store.close();
                    try (StoreView view = StoreView.open(config.dir())) {
                        String diff = model.differences(view);
                        if (diff != null) {
                            throw report.fail("read-only view after op " + op.seq() + ": " + diff);
                        }
                    }
                    store = VariableStore.open(config);
                    compare(report, model, store, space, "reopened after op " + op.seq());
                    reopens++;
                }
            }
            compactions += store.health().compactions();
        } finally {
            store.close();
        }
        report.held(operations + " operations: every answer allowed (" + refused + " normal and " + crashRefused
                + " crash-time writes refused for room), " + comparisons + " whole-store comparisons equal");
        report.held(reopens + " reopens, each read back equal through a read-only view and then the writer");
        report.check(compactions >= minCompactions, compactions + " compactions (at least " + minCompactions + ")");
        report.end();
    }

    /**
     * The same operations through the interruptible worker, with a timeout shorter than a compaction: callers
     * give up all the time, and what they are told must be true. BUSY: the operation did not happen;
     * ABORTED: it may have (the model learns which from the store).
     */
    @Test
    void throughTheWorkerEveryAnswerIsTrueEvenWhenCallersGiveUp() {
        Torture.Report report = Torture.start("store model, through the worker");
        int operations = Torture.scale(20_000, 500_000);
        Random random = report.random();
        RandomOps ops = new RandomOps(random, 150, 4096, 1);
        StoreModel model = new StoreModel();
        StoreConfig config = StoreConfig.builder(dir.resolve("vars")).capacity(LIMITS.capacity()).reserve(LIMITS.reserve())
                .maxVariableSize(4096).mode(Mode.INTERRUPTIBLE).opTimeout(Duration.ofNanos(200_000)).build();
        StoreSpace space = new StoreSpace();
        int busy = 0;
        int inDoubt = 0;
        report.tried(operations + " operations through the worker, each caller waiting 0.2 ms");
        try (RuntimeServices services = RuntimeServices.open(config)) {
            VariableOps worker = services.ops();
            LegacyOps legacy = services.legacyOps();
            VariableOps patient = patient(legacy);
            for (int i = 0; i < operations; i++) {
                Op op = ops.next(model, LIMITS);
                Status status = op.apply(worker, legacy);
                if (status == Status.BUSY) {
                    busy++; // withdrawn (or the lock held, at crash time): the model stays, and the comparison checks it
                } else if (status == Status.ABORTED) {
                    inDoubt++;
                    StoreModel done = model.copy();
                    done.apply(op);
                    if (done.differences(patient) == null) {
                        model = done;
                    }
                } else {
                    String wrong = model.judge(op, status, LIMITS, () -> {
                        patient.query(space);
                        return space.used();
                    });
                    if (wrong != null) {
                        throw report.fail("op " + op + ": " + wrong);
                    }
                }
                if (i % 200 == 199 || status == Status.BUSY) {
                    String diff = model.differences(patient);
                    if (diff != null) {
                        throw report.fail("after op " + op + " (" + status + "): " + diff);
                    }
                }
            }
        }
        report.check(busy > 0, busy + " callers told BUSY, and none of those operations happened; " + inDoubt + " told ABORTED (in doubt)");
        report.end();
    }

    /** The legacy ops, asked again while BUSY: the worker finishing what a caller gave up on holds the lock briefly. */
    private static VariableOps patient(LegacyOps legacy) {
        return new VariableOps() {
            @Override
            public Status get(org.pstore.core.Namespace ns, CharSequence name, org.pstore.core.VariableBuffer out) {
                return again(() -> legacy.get(ns, name, out));
            }

            @Override
            public Status nextName(org.pstore.core.NameCursor cursor) {
                return again(() -> legacy.nextName(cursor));
            }

            @Override
            public Status set(org.pstore.core.Namespace ns, CharSequence name, int attributes, byte[] data, int offset, int length) {
                throw new UnsupportedOperationException("reads only");
            }

            @Override
            public Status setNonBlocking(org.pstore.core.Namespace ns, CharSequence name, int attributes, byte[] data, int offset, int length) {
                throw new UnsupportedOperationException("reads only");
            }

            @Override
            public Status query(StoreSpace out) {
                return again(() -> legacy.query(out));
            }

            @Override
            public String name() {
                return "patient legacy";
            }

            private Status again(java.util.function.Supplier<Status> call) {
                for (int i = 0; ; i++) {
                    Status s = call.get();
                    if (s != Status.BUSY || i > 100_000) {
                        return s;
                    }
                    Thread.onSpinWait();
                }
            }
        };
    }

    private static void compare(Torture.Report report, StoreModel model, VariableStore store, StoreSpace space, String when) {
        String diff = model.differences(store);
        if (diff != null) {
            throw report.fail(when + ": " + diff);
        }
        store.query(space);
        if (space.live() != model.live()) {
            throw report.fail(when + ": the store counts " + space.live() + " live bytes, the model " + model.live());
        }
    }
}
