package org.pstore.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Mode;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.VariableOps;

class LegacyOpsTest {
    static final Namespace NS = Namespace.of(UUID.randomUUID(), "test");

    @TempDir
    Path dir;

    @Test
    void withTheLockHeldTheCrashTimeWriteIsBusyAtOnceAndNormalWritesWaitThenTimeOut() throws Exception {
        try (RuntimeServices s = RuntimeServices.open(StoreConfig.builder(dir).mode(Mode.LEGACY)
                .opTimeout(Duration.ofMillis(100)).build())) {
            VariableOps ops = s.ops();
            assertThat(ops).isSameAs(s.legacyOps());
            CompletableFuture.runAsync(() -> s.lock().tryAcquire()).get(10, TimeUnit.SECONDS); // held by a thread that is gone
            assertThat(ops.setNonBlocking(NS, "x", 0, new byte[1], 0, 1)).isEqualTo(Status.BUSY);
            assertThat(ops.set(NS, "x", 0, new byte[1], 0, 1)).isEqualTo(Status.BUSY);
            s.lock().release();
            assertThat(ops.setNonBlocking(NS, "x", 0, new byte[1], 0, 1)).isEqualTo(Status.OK);
        }
    }
}
