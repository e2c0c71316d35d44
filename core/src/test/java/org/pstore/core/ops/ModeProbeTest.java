package org.pstore.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.FaultInjection;
import org.pstore.core.Mode;
import org.pstore.core.StoreConfig;

class ModeProbeTest {
    @TempDir
    Path dir;

    @Test
    void autoPicksTheWorkerOnAFastStoreToo() {
        try (RuntimeServices s = RuntimeServices.open(StoreConfig.builder(dir).build())) {
            assertThat(s.decision().mode()).isEqualTo(Mode.INTERRUPTIBLE);
            assertThat(s.decision().reason()).contains("probe write median").contains("stalls later");
            assertThat(s.ops()).isSameAs(s.interruptibleOps());
            assertThat(s.modeInForce()).startsWith("interruptible (interruptible: probe write median");
            assertThat(s.workerThread().isAlive()).isTrue();
        }
    }

    @Test
    void legacyIsARuntimeChoice() {
        try (RuntimeServices s = RuntimeServices.open(StoreConfig.builder(dir).mode(Mode.LEGACY).build())) {
            assertThat(s.ops()).isSameAs(s.legacyOps());
            assertThat(s.modeInForce()).isEqualTo("legacy (legacy: configured (pstore.mode=legacy))");
            assertThat(s.workerThread().isAlive()).as("no worker runs").isFalse();
        }
    }

    @Test
    void autoPicksTheWorkerWhenWritesStall() {
        FaultInjection slowDisk = (phase, ns, name) -> {
            if (phase == FaultInjection.Phase.INSIDE_APPEND) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (RuntimeServices s = RuntimeServices.open(StoreConfig.builder(dir).faultInjection(slowDisk).build())) {
            assertThat(s.decision().mode()).isEqualTo(Mode.INTERRUPTIBLE);
            assertThat(s.decision().reason()).contains("can stall the caller");
            assertThat(s.decision().medianMicros()).isGreaterThanOrEqualTo(5_000);
            assertThat(s.ops().name()).isEqualTo("interruptible");
        }
    }

    @Test
    void aConfiguredModeIsTakenAsIsAndSaysSo() {
        try (RuntimeServices s = RuntimeServices.open(StoreConfig.builder(dir).mode(Mode.INTERRUPTIBLE).build())) {
            assertThat(s.decision().reason()).isEqualTo("configured (pstore.mode=interruptible)");
            assertThat(s.ops()).isSameAs(s.interruptibleOps());
        }
    }
}
