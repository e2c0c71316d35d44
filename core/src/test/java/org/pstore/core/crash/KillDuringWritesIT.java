package org.pstore.core.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pstore.core.Status;
import org.pstore.core.VariableBuffer;
import org.pstore.core.store.VariableStore;
import org.pstore.core.testing.JvmFork;

/**
 * A real JVM writes and acknowledges variables; it is killed with SIGKILL mid-stream. Every acknowledged
 * set must be there after reopening (or a later value of the same name: the write in flight may have
 * landed), and nothing may be corrupt.
 */
class KillDuringWritesIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} ops, {1} names, {2} KiB")
    @CsvSource({"legacy, 1000000, 16384", "interruptible, 1000000, 16384", "legacy, 40, 128", "interruptible, 40, 128"})
    void everyAcknowledgedSetSurvivesSigkill(String mode, int names, int capacityKiB) throws Exception {
        Path store = dir.resolve("vars");
        JvmFork.Child child = JvmFork.of(AckingWriter.class, dir)
                .arg(store.toString(), mode, String.valueOf(names), String.valueOf(capacityKiB)).start();
        assertThat(child.awaitOutput("ack 3000\n", 120)).as("child progress; stderr: %s", child.err()).isTrue();
        child.kill();

        Map<String, Long> lastAcked = new HashMap<>();
        long acked = -1;
        for (String line : child.out().split("\n")) {
            if (line.startsWith("ack ")) {
                acked = Long.parseLong(line.substring(4));
                lastAcked.put(AckingWriter.name(acked, names), acked);
            }
        }
        assertThat(acked).isGreaterThanOrEqualTo(3000);

        try (VariableStore reopened = VariableStore.open(AckingWriter.config(store, capacityKiB).build())) {
            assertThat(reopened.health().corruptEntries()).as("corrupt entries").isZero();
            assertThat(reopened.health().quarantined()).isEmpty();
            VariableBuffer out = new VariableBuffer(1024);
            for (Map.Entry<String, Long> e : lastAcked.entrySet()) {
                assertThat(reopened.get(AckingWriter.NS, e.getKey(), out)).as(e.getKey()).isEqualTo(Status.OK);
                String value = out.toUtf8();
                long found = Long.parseLong(value.substring(6, value.indexOf('-', 6)));
                assertThat(found).as("%s holds the acknowledged value or the one in flight", e.getKey())
                        .isBetween(e.getValue(), e.getValue() + names);
                assertThat(out.toByteArray()).isEqualTo(AckingWriter.value(found));
            }
        }
    }
}
