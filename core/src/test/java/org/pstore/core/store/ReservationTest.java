package org.pstore.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.StoreConfig;

/**
 * The variable log writes only where the filesystem already gave it blocks: what it writes next, and what
 * crash-time writes may add after that (the store's reserve), are zeros written with write(2) beforehand, so
 * that a full filesystem is a refusal and never a SIGBUS in a mapped page. (DiskFullIT fills a real tmpfs.)
 */
class ReservationTest {
    @TempDir
    Path dir;

    @Test
    void whatTheLogWritesNextAndTheReserveAreBackedByRealBlocks() throws Exception {
        StoreConfig config = StoreConfig.builder(dir.resolve("vars")).capacity(1 << 20).reserve(128 << 10).maxVariableSize(16 << 10).build();
        try (VariableStore store = VariableStore.open(config)) {
            for (int i = 0; i < 8000; i++) { // past a compaction or two: each new generation is backed before it is used
                VariableStoreTest.set(store, VariableStoreTest.NS, "v" + (i % 300), "value " + i + " " + "x".repeat(i % 400));
            }
            VariableLog log = store.log();
            Path file = LogFiles.cycleFile(config.dir(), log.generation());
            long documents = CycleFile.documentsEnd(file);
            assertThat(log.end()).as("the log knows where its documents end").isBetween(documents - 8, documents);
            assertThat(log.backedTo()).as("backed past them by the reserve").isGreaterThanOrEqualTo(documents + config.reserve());
            assertThat(blocks(file)).as("real blocks, not a hole").isGreaterThanOrEqualTo(log.backedTo());
            assertThat(store.health().compactions()).isPositive();
        }
    }

    /** The bytes the filesystem allocated to {@code file} ({@code stat}'s block count). */
    private static long blocks(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
        String[] out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        p.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
