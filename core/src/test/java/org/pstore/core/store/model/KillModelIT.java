package org.pstore.core.store.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.store.StoreView;
import org.pstore.core.store.VariableStore;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;

/**
 * The variable store against a model, under SIGKILL (torture suite, item 5): a child JVM runs random
 * operations on one store, round after round, and is killed at a random moment, a third of the rounds
 * inside a compaction. After each kill the store is read back, first through a read-only view (the
 * post-mortem reader, before any writer repairs anything), then by a writer: both must hold exactly what
 * the acknowledged operations made, the one in flight either done or not, the same for both. While a
 * child writes, an open here must be refused.
 */
class KillModelIT {
    static final StoreModel.Limits LIMITS = new StoreModel.Limits(1 << 20, 128 << 10);
    static final int NAMES = 300;

    @TempDir
    Path dir;

    /** A writer for round {@code round}, started ahead: JVM start-up and warm-up overlap the round before. */
    private JvmFork.Child warm(int round, List<Jdks.Jdk> jdks) throws java.io.IOException {
        return JvmFork.of(ModelWriter.class, dir.resolve("round-" + round)).jdk(jdks.get(round % jdks.size()))
                .jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC").arg("--warm").start();
    }

    @Test
    void everyAcknowledgedOperationSurvivesSigkillAndNothingElseChanges() throws Exception {
        Torture.Report report = Torture.start("store model, SIGKILL");
        int rounds = Torture.scale(51, 600);
        Random random = report.random();
        Path store = dir.resolve("vars");
        StoreConfig config = ModelWriter.config(store, LIMITS);
        List<Jdks.Jdk> jdks = Jdks.all();
        report.tried(rounds + " kills of a writer on a " + (LIMITS.capacity() >> 10) + " KiB store, every third inside a compaction, on "
                + jdks);
        StoreModel model = new StoreModel();
        long seq = 1;
        int insideCompaction = 0;
        int inFlightDone = 0;
        int refusedHere = 0;
        long operations = 0;
        JvmFork.Child next = warm(0, jdks);
        for (int round = 0; round < rounds; round++) {
            boolean aimAtCompaction = round % 3 == 2;
            int acks = 20 + random.nextInt(round % 5 == 0 ? 1500 : 300);
            JvmFork.Child child = next;
            child.send(String.join(" ", store.toString(), Long.toString(random.nextLong()), Long.toString(LIMITS.capacity() >> 10),
                    Long.toString(LIMITS.reserve() >> 10), Integer.toString(NAMES), Long.toString(seq), "0", "0"));
            next = round + 1 < rounds ? warm(round + 1, jdks) : null; // starts while this round runs
            ChildOps ops = new ChildOps(child.outFile());
            long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean triedHere = false;
            while (true) {
                ops.poll();
                if (ops.refused() != null || !child.alive()) {
                    throw report.fail("round " + round + ": the writer did not run: " + ops.refused() + " " + child.err());
                }
                if (ops.ready() && !triedHere) {
                    triedHere = true;
                    if (round % 4 == 0) {
                        try (VariableStore second = VariableStore.open(config)) {
                            throw report.fail("round " + round + ": a second writer was admitted while the child writes");
                        } catch (StoreException e) {
                            report.quietly(e.status() == Status.BUSY, "round " + round + ": an open here while the child writes is BUSY, not " + e.status());
                            refusedHere++;
                        }
                    }
                }
                if (ops.acknowledged() >= acks && (!aimAtCompaction || ops.compacting())) {
                    break;
                }
                if (System.nanoTime() > guard) {
                    throw report.fail("round " + round + ": no progress in 60 s; stderr: " + child.err());
                }
                LockSupport.parkNanos(100_000);
            }
            if (!aimAtCompaction) {
                LockSupport.parkNanos(random.nextInt(2_000_000));
            }
            child.kill();
            ops.poll();
            Op inFlight = ops.inFlight();
            for (Op op : ops.tried()) {
                if (op == inFlight) {
                    break;
                }
                String wrong = model.judge(op, ops.status(op), LIMITS, LIMITS::capacity); // the child's log size is not known here: crash-time refusals are taken as allowed
                if (wrong != null) {
                    throw report.fail("round " + round + ", op " + op + ": " + wrong);
                }
                operations++;
            }
            if (inFlight != null && inFlight.kind() == Op.Kind.COMPACT) {
                insideCompaction++;
            }
            StoreModel done = model.copy();
            if (inFlight != null) {
                done.apply(inFlight);
            }
            String why = "round " + round + " (killed in " + inFlight + ")";
            boolean applied;
            try (StoreView view = StoreView.open(store)) {
                String asAcked = model.differences(view);
                String asDone = done.differences(view);
                if (asAcked != null && asDone != null) {
                    throw report.fail(why + ": the read-only view after the kill: " + asAcked);
                }
                applied = asAcked != null;
                report.quietly(view.corruptEntries() == 0, why + ": the view counts " + view.corruptEntries() + " corrupt entries");
            }
            try (VariableStore reopened = VariableStore.open(config)) {
                String diff = (applied ? done : model).differences(reopened);
                if (diff != null) {
                    throw report.fail(why + ": the writer after the kill (the view had the in-flight op "
                            + (applied ? "done" : "not done") + "): " + diff);
                }
                report.quietly(reopened.health().corruptEntries() == 0 && reopened.health().quarantined().isEmpty(),
                        why + ": nothing corrupt or quarantined: " + reopened.health());
            }
            if (applied) {
                model = done;
                inFlightDone++;
            }
            seq = ops.lastSeq() + 1;
        }
        if (next != null) {
            next.kill();
        }
        report.held(rounds + " kills (" + insideCompaction + " inside a compaction, " + inFlightDone
                + " with the operation in flight done): " + operations + " acknowledged operations all reflected, nothing else");
        report.held(refusedHere + " opens here while a child wrote, all refused BUSY");
        report.check(insideCompaction * 3 >= rounds, insideCompaction + " of " + rounds + " kills inside a compaction (at least a third)");
        report.end();
    }
}
