package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;
import org.pstore.core.testing.JvmFork;

/**
 * Group commit under SIGKILL: eight threads of a default boot write pmsg messages through the worker at once
 * (so the worker stores them in groups), the JVM is killed mid-stream, and every message any thread was told
 * was stored is in the store, but for the oldest, which the pmsg budget's retention erased (a fast run writes
 * more than the budget holds): of each writer, those are older than every message of it kept. A caller is acknowledged only
 * once its own write is in the store, whatever became of the rest of its group.
 */
class GroupCommitIT {
    static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageOfEightConcurrentWritersSurvivesSigkill() throws Exception {
        long seed = Long.getLong("pstore.test.seed", System.nanoTime());
        System.out.println("GroupCommitIT seed " + seed);
        java.util.Random random = new java.util.Random(seed);
        int killAt = 2_000 + random.nextInt(3_000);
        Path store = dir.resolve("store");
        JvmFork.Child child = JvmFork.of(GroupCommitApp.class, dir)
                .arg(store.toString(), String.valueOf(THREADS), String.valueOf(seed)).start();
        assertThat(child.awaitOutput("ack 0 " + killAt + "\n", 180)).as("progress; stderr: %s", child.err()).isTrue();
        child.kill();

        java.util.Map<String, Long> acked = new java.util.HashMap<>(); // message -> its thread's sequence number
        long groups = 0;
        long requests = 0;
        for (String line : child.out().split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("ack") && f.length == 3) {
                acked.put("m-" + f[1] + "-" + f[2] + "-", Long.parseLong(f[2]));
            } else if (f[0].equals("groups") && f.length == 4) {
                groups = Long.parseLong(f[1]);
                requests = Long.parseLong(f[3]);
            }
        }
        System.out.println("GroupCommitIT: " + acked.size() + " acknowledged; the worker's last figures: " + requests
                + " requests in " + groups + " wake-ups");
        assertThat(child.out()).as("the default boot runs on the worker").contains("mode interruptible (");
        assertThat(requests).as("the worker stored requests in groups of more than one (seed %d)", seed).isGreaterThan(groups);

        Set<String> stored = new HashSet<>();
        try (PstoreReader reader = PstoreReader.open(store)) {
            assertThat(reader.problems()).as("seed %d", seed).isEmpty();
            for (PstoreRecord r : reader.records()) {
                if (r.type() == RecordType.PMSG) {
                    String text = reader.payload(r).text();
                    stored.add(text.substring(0, text.indexOf('-', text.indexOf('-', 2) + 1) + 1));
                }
            }
        }
        // Retention erases in the order messages were stored, and each thread stores its messages one after
        // another: what it erased of a thread is that thread's oldest, older than every message of it kept.
        long[] oldestKept = new long[THREADS];
        java.util.Arrays.fill(oldestKept, Long.MAX_VALUE);
        for (String m : stored) {
            String[] f = m.split("-");
            int t = Integer.parseInt(f[1]);
            oldestKept[t] = Math.min(oldestKept[t], Long.parseLong(f[2]));
        }
        Set<String> missing = new HashSet<>(acked.keySet());
        missing.removeAll(stored);
        int before = missing.size();
        missing.removeIf(m -> {
            String[] f = m.split("-");
            return Long.parseLong(f[2]) < oldestKept[Integer.parseInt(f[1])];
        });
        System.out.println("GroupCommitIT: " + (before - missing.size()) + " of the oldest erased by the pmsg budget's retention");
        assertThat(acked.size()).isGreaterThanOrEqualTo(killAt);
        for (int t = 0; t < THREADS; t++) {
            assertThat(oldestKept[t]).as("writer %d has messages kept (seed %d)", t, seed).isNotEqualTo(Long.MAX_VALUE);
        }
        assertThat(missing).as("acknowledged but not stored, and newer than what retention erased (seed %d, %d acknowledged)", seed,
                acked.size()).isEmpty();
    }
}
