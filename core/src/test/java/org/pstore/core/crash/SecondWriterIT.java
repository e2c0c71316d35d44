package org.pstore.core.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Attributes;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.store.VariableStore;
import org.pstore.core.testing.JvmFork;

/**
 * One writer per store, across processes and within one: a refused open (in this JVM, as when an agent and
 * the application both boot pstore) must leave the first writer's lock in force, so another process is
 * still refused.
 */
class SecondWriterIT {
    private static final Namespace NS = AckingWriter.NS;

    @TempDir
    Path dir;

    private StoreConfig config() {
        return StoreConfig.builder(dir.resolve("vars")).capacity(256 << 10).reserve(32 << 10).maxVariableSize(16 << 10).build();
    }

    @Test
    void aSecondOpenInThisProcessIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        try (VariableStore first = VariableStore.open(config())) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> VariableStore.open(config())).isInstanceOf(StoreException.class)
                        .extracting(e -> ((StoreException) e).status()).isEqualTo(Status.BUSY);
            }
            byte[] v = "still mine".getBytes(StandardCharsets.US_ASCII);
            assertThat(first.set(NS, "a", Attributes.DEFAULT, v, 0, v.length)).isEqualTo(Status.OK);

            String probe = probe("busy-probe");
            assertThat(probe).as("another process, after the refused open in this one").startsWith("refused BUSY");
        }
        assertThat(probe("after-close")).as("released when the first writer closes").isEqualTo("opened");
    }

    @Test
    void whileAnotherProcessWritesEveryOpenHereIsRefused() throws Exception {
        Path work = dir.resolve("holder");
        JvmFork.Child holder = JvmFork.of(OpenProbe.class, work).arg(dir.resolve("vars").toString(), "hold").start();
        try {
            assertThat(holder.awaitOutput("opened\n", 60)).as("holder started; stderr: %s", holder.err()).isTrue();
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> VariableStore.open(config())).isInstanceOf(StoreException.class)
                        .hasMessageContaining("pid " + holder.pid())
                        .extracting(e -> ((StoreException) e).status()).isEqualTo(Status.BUSY);
            }
            assertThat(probe("third")).as("a third process").startsWith("refused BUSY");
        } finally {
            holder.kill();
        }
        VariableStore.open(config()).close(); // the kernel dropped the dead holder's lock
    }

    private String probe(String name) throws Exception {
        JvmFork.Child child = JvmFork.of(OpenProbe.class, dir.resolve(name)).arg(dir.resolve("vars").toString()).start();
        assertThat(child.awaitExit(60)).as("probe exit; stderr: %s", child.err()).isZero();
        return child.out().strip();
    }
}
