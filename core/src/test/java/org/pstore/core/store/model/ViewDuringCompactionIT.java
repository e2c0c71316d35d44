package org.pstore.core.store.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Status;
import org.pstore.core.store.StoreView;
import org.pstore.core.testing.JvmFork;
import org.pstore.core.testing.Torture;

/**
 * Read-only views opened while a writer in another process runs random operations on a small store,
 * compacting every few dozen (torture suite, item 5): every view must be one real point in time, the state
 * after some prefix of the operations the writer performed, every byte of every value right. An empty view,
 * a view that misses a variable, or one that fails to open is a failure.
 */
class ViewDuringCompactionIT {
    static final StoreModel.Limits LIMITS = new StoreModel.Limits(96 << 10, 16 << 10);

    @TempDir
    Path dir;

    /** What one view showed: the digest of its state, the newest operation in it, its size. */
    private record Seen(int view, long digest, long newest, int size) {
    }

    @Test
    void everyViewIsOnePointInTime() throws Exception {
        Torture.Report report = Torture.start("store model, views during compaction");
        long millis = Torture.scale(6_000, 120_000);
        Path store = dir.resolve("vars");
        JvmFork.Child child = JvmFork.of(ModelWriter.class, dir.resolve("writer")).jvmArg("-XX:+UseSerialGC")
                .arg(store.toString(), Long.toString(report.seed()), Long.toString(LIMITS.capacity() >> 10),
                        Long.toString(LIMITS.reserve() >> 10), "60", "1", "0", "0")
                .start();
        report.tried("views for " + millis / 1000 + " s while a writer runs random operations on a " + (LIMITS.capacity() >> 10) + " KiB store");
        ChildOps ops = new ChildOps(child.outFile());
        List<Seen> seen = new ArrayList<>();
        int failedOpens = 0;
        int wrongBytes = 0;
        try {
            long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ops.acknowledged() < 2000) { // a store with something in it, compacted a few times
                ops.poll();
                if (!child.alive() || System.nanoTime() > guard) {
                    throw report.fail("the writer did not start: " + ops.refused() + " " + child.err());
                }
                Thread.sleep(5);
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (int v = 0; System.nanoTime() < end; v++) {
                Map<String, byte[]> state;
                try (StoreView view = StoreView.open(store)) {
                    state = StoreModel.read(view);
                } catch (RuntimeException e) {
                    failedOpens++;
                    report.quietly(false, "view " + v + " failed: " + e);
                    continue;
                }
                long digest = 0;
                long newest = -1;
                for (Map.Entry<String, byte[]> e : state.entrySet()) {
                    byte[] value = e.getValue();
                    long seq = Values.seqOf(value, 0, value.length);
                    if (!Values.matches(seq, e.getKey(), value, 0, value.length)) {
                        wrongBytes++;
                        report.quietly(false, "view " + v + ": " + e.getKey() + " holds bytes no operation wrote");
                    }
                    digest += StoreModel.mix(e.getKey(), seq, value.length);
                    newest = Math.max(newest, seq);
                }
                seen.add(new Seen(v, digest, newest, state.size()));
            }
        } finally {
            child.kill();
        }
        ops.poll();

        // The state after each operation, as digests; a view must equal one at or after its newest value.
        Map<Long, Integer> indexOf = new HashMap<>();
        List<Long> digests = new ArrayList<>();
        StoreModel model = new StoreModel();
        for (Op op : ops.tried()) {
            Status s = ops.status(op);
            if (s == null) {
                StoreModel done = model.copy();
                done.apply(op);
                indexOf.put(op.seq(), digests.size());
                digests.add(model.digest());
                digests.add(done.digest());
                break;
            }
            String wrong = model.judge(op, s, LIMITS, LIMITS::capacity); // the child's log size is not known here: crash-time refusals are taken as allowed
            if (wrong != null) {
                throw report.fail("op " + op + ": " + wrong);
            }
            indexOf.put(op.seq(), digests.size());
            digests.add(model.digest());
        }
        long compactions = ops.tried().stream().filter(o -> o.kind() == Op.Kind.COMPACT).count();
        int notAPoint = 0;
        int empty = 0;
        for (Seen s : seen) {
            Integer from = indexOf.get(s.newest());
            boolean found = false;
            for (int i = from == null ? 0 : from; !found && i < digests.size(); i++) {
                found = digests.get(i) == s.digest();
            }
            if (!found) {
                notAPoint++;
                report.quietly(false, "view " + s.view() + " (" + s.size() + " variables, newest op " + s.newest() + ") is no state the writer was ever in");
            }
            if (s.size() == 0) {
                empty++;
            }
        }
        report.check(seen.size() >= 20, seen.size() + " views (at least 20)");
        report.say(seen.size() + " views of " + ops.tried().size() + " operations (" + compactions + " explicit compactions besides those the store made)");
        report.check(notAPoint == 0 && failedOpens == 0 && wrongBytes == 0,
                seen.size() + " views: " + notAPoint + " not a point in time (" + empty + " empty), " + failedOpens + " failed to open, "
                        + wrongBytes + " with wrong bytes");
        report.end();
    }
}
