package org.pstore.core.store.model;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreSpace;
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
