package org.pstore.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Attributes;
import org.pstore.core.FaultInjection;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreException;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.testing.Allocations;
import org.pstore.core.testing.Jit;

class VariableStoreTest {
    static final Namespace NS = Namespace.of(UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"), "test");
    static final Namespace OTHER = Namespace.of(UUID.randomUUID(), "other");

    @TempDir
    Path dir;

    private StoreConfig.Builder config() {
        return StoreConfig.builder(dir.resolve("vars")).capacity(256 << 10).reserve(32 << 10).maxVariableSize(16 << 10);
    }

    @Test
    void setGetDeleteAndIterate() {
        try (VariableStore store = VariableStore.open(config().build())) {
            assertThat(set(store, NS, "a", "alpha")).isEqualTo(Status.OK);
            assertThat(set(store, OTHER, "a", "other alpha")).isEqualTo(Status.OK);
            assertThat(set(store, NS, "b", "beta")).isEqualTo(Status.OK);
            assertThat(set(store, NS, "a", "alpha 2")).isEqualTo(Status.OK);

            assertThat(get(store, NS, "a")).isEqualTo("alpha 2");
            assertThat(get(store, OTHER, "a")).isEqualTo("other alpha");
            assertThat(names(store)).containsExactlyInAnyOrder("test:a", "test:b", "other:a");

            assertThat(store.set(NS, "a", 0, null, 0, 0)).isEqualTo(Status.OK);
            assertThat(store.get(NS, "a", new VariableBuffer(8))).isEqualTo(Status.NOT_FOUND);
            assertThat(store.set(NS, "a", 0, null, 0, 0)).as("deleting twice").isEqualTo(Status.NOT_FOUND);
        }
    }

    /**
     * The pmsg workload: every write a new name, the oldest erased, the log compacted again and again. The
     * index's table is rebuilt each time its tombstones fill it and copied at each compaction; both fill the
     * table that the index before them used, so nothing of the store's grows the heap (Chronicle allocates
     * a little when a compaction rolls to a new file, which the bound leaves room for). Nor does the live
     * pass of a compaction: its bitmaps and namespaces are kept from one compaction to the next.
     */
    @Test
    void newNamesOldestErasedAndCompactionsAllocateNoIndex() {
        StoreConfig cfg = StoreConfig.builder(dir.resolve("vars")).capacity(4 << 20).reserve(256 << 10).maxVariableSize(16 << 10).build();
        try (VariableStore store = VariableStore.open(cfg)) {
            int live = 4_000;
            byte[] value = new byte[200];
            StringBuilder name = new StringBuilder(32);
            long[] seq = {0};
            Runnable work = () -> {
                for (int i = 0; i < 20_000; i++) {
                    long n = seq[0]++;
                    value[0] = (byte) n;
                    assertOk(store.set(NS, name(name, n), Attributes.DEFAULT, value, 0, value.length));
                    if (n >= live) {
                        assertOk(store.set(NS, name(name, n - live), 0, null, 0, 0));
                    }
                }
            };
            for (int i = 0; i < 10; i++) {
                work.run(); // warm-up: the JIT, and the index at its steady size
            }
            long compactionsBefore = store.health().compactions();
            long bytes = 0;
            for (int w = 0; w < 5; w++) {
                bytes += Allocations.of(work);
            }
            long compactions = store.health().compactions() - compactionsBefore;
            assertThat(compactions).as("compactions in the measured 100 000 writes").isGreaterThanOrEqualTo(5);
            // An index table of this store is 16 Ki slots of 32 B, 512 KiB: one of them (or a grown arena)
            // allocated in a window exceeds the bound. What the bound leaves room for is Chronicle's, at each
            // compaction's roll to a new file and its reading cursor (about 30 KiB measured); before the index
            // reused its tables, the same window allocated 20 MB.
            assertThat(bytes).as("bytes allocated in 100 000 writes and erases over " + compactions + " compactions")
                    .isLessThanOrEqualTo(compactions * (64L << 10));
            // and the reused tables index what the store holds: the newest names, none of the erased ones
            VariableBuffer out = new VariableBuffer(256);
            for (long n = seq[0] - live - 100; n < seq[0]; n++) {
                Status s = store.get(NS, name(name, n).toString(), out);
                assertThat(s).as(name.toString()).isEqualTo(n < seq[0] - live ? Status.NOT_FOUND : Status.OK);
                if (s == Status.OK) {
                    assertThat(out.data()[0]).as(name.toString()).isEqualTo((byte) n);
                }
            }
            assertThat(names(store)).hasSize(live);
        }
    }

    private static StringBuilder name(StringBuilder out, long n) {
        out.setLength(0);
        return out.append("m-").append(n);
    }

    private static void assertOk(Status s) {
        if (s != Status.OK) {
            throw new AssertionError("store said " + s);
        }
    }

    @Test
    void anEraseBatchIsOneEntryForManyNamesAndSurvivesReopen() {
        org.pstore.core.NameBatch batch = new org.pstore.core.NameBatch();
        long entriesBefore;
        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 40; i++) {
                assertThat(set(store, NS, "m" + i, "message " + i)).isEqualTo(Status.OK);
            }
            assertThat(set(store, OTHER, "m0", "another namespace")).isEqualTo(Status.OK);
            String longest = "n".repeat(org.pstore.core.VariableNames.MAX_LENGTH);
            assertThat(set(store, NS, longest, "a name of the largest length")).isEqualTo(Status.OK);
            for (int i = 0; i < 30; i++) {
                assertThat(batch.add("m" + i)).isTrue();
            }
            assertThat(batch.add("never-written")).isTrue();
            assertThat(batch.add(longest)).isTrue();
            assertThat(batch.add("bad/name")).as("not a name").isFalse();
            entriesBefore = store.entryCount();
            assertThat(store.erase(NS, batch, null)).isEqualTo(Status.OK);
            assertThat(store.entryCount() - entriesBefore).as("log entries the erase of 31 added").isEqualTo(1);
            assertThat(store.erase(NS, batch, null)).as("nothing left to erase: nothing written").isEqualTo(Status.NOT_FOUND);
            assertThat(store.entryCount() - entriesBefore).isEqualTo(1);
            assertAfterErase(store, longest);
        }
        try (VariableStore reopened = VariableStore.open(config().build())) {
            assertAfterErase(reopened, "n".repeat(org.pstore.core.VariableNames.MAX_LENGTH));
            assertThat(reopened.health().corruptEntries()).isZero();
        }
        try (StoreView view = StoreView.open(dir.resolve("vars"))) {
            assertThat(view.get(NS, "m30", new VariableBuffer(8))).isEqualTo(Status.OK);
            assertThat(view.get(NS, "m29", new VariableBuffer(8))).isEqualTo(Status.NOT_FOUND);
        }
    }

    @Test
    void anEraseWhoseGateIsClosedWritesNothing() {
        try (VariableStore store = VariableStore.open(config().build())) {
            assertThat(set(store, NS, "kept", "k")).isEqualTo(Status.OK);
            org.pstore.core.NameBatch batch = new org.pstore.core.NameBatch();
            batch.add("kept");
            assertThat(store.erase(NS, batch, () -> false)).isEqualTo(Status.ABORTED);
            assertThat(get(store, NS, "kept")).isEqualTo("k");
        }
    }

    private static void assertAfterErase(VariableStore store, String longest) {
        for (int i = 0; i < 40; i++) {
            assertThat(store.get(NS, "m" + i, new VariableBuffer(8))).as("m" + i).isEqualTo(i < 30 ? Status.NOT_FOUND : Status.OK);
        }
        assertThat(get(store, OTHER, "m0")).as("another namespace is left alone").isEqualTo("another namespace");
        assertThat(store.get(NS, longest, new VariableBuffer(8))).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void attributesAreKept() {
        try (VariableStore store = VariableStore.open(config().build())) {
            byte[] data = "x".getBytes(StandardCharsets.UTF_8);
            store.set(NS, "attr", Attributes.DEFAULT, data, 0, 1);
            VariableBuffer out = new VariableBuffer(4);
            store.get(NS, "attr", out);
            assertThat(out.attributes()).isEqualTo(Attributes.DEFAULT);
        }
    }

    @Test
    void everythingSurvivesCloseAndReopen() {
        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 200; i++) {
                assertThat(set(store, NS, "v" + i, "value " + i)).isEqualTo(Status.OK);
            }
            for (int i = 0; i < 200; i += 3) {
                store.set(NS, "v" + i, 0, null, 0, 0);
            }
        }
        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 200; i++) {
                if (i % 3 == 0) {
                    assertThat(store.get(NS, "v" + i, new VariableBuffer(8))).isEqualTo(Status.NOT_FOUND);
                } else {
                    assertThat(get(store, NS, "v" + i)).isEqualTo("value " + i);
                }
            }
            assertThat(store.health().corruptEntries()).isZero();
        }
    }

    @Test
    void badInputIsInvalidNeverACrash() {
        try (VariableStore store = VariableStore.open(config().build())) {
            byte[] data = new byte[(16 << 10) + 1];
            assertThat(store.set(NS, "", 0, data, 0, 1)).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, "x".repeat(129), 0, data, 0, 1)).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, "has space", 0, data, 0, 1)).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, "a/b", 0, data, 0, 1)).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, ".hidden", 0, data, 0, 1)).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, "big", 0, data, 0, data.length)).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, "range", 0, data, data.length - 1, 2)).isEqualTo(Status.INVALID);
            assertThat(store.get(NS, "", new VariableBuffer(1))).isEqualTo(Status.INVALID);
            assertThat(store.set(NS, "x".repeat(128), 0, data, 0, 16 << 10)).isEqualTo(Status.OK);
        }
    }

    @Test
    void normalWritesStopShortOfTheReserveAndCrashTimeWritesUseIt() {
        StoreConfig cfg = config().build();
        try (VariableStore store = VariableStore.open(cfg)) {
            byte[] data = new byte[4096];
            int written = 0;
            Status s;
            while ((s = store.set(NS, "fill-" + written, 0, data, 0, data.length)) == Status.OK) {
                written++;
            }
            assertThat(s).isEqualTo(Status.OUT_OF_RESOURCES);
            StoreSpace space = new StoreSpace();
            store.query(space);
            assertThat(space.used()).isLessThanOrEqualTo(cfg.capacity() - cfg.reserve());
            assertThat(space.remaining()).isGreaterThanOrEqualTo(cfg.reserve() - 4096 - 200);
            assertThat(space.largestVariable()).isLessThan(4096);

            int crash = 0;
            while (store.setNonBlocking(NS, "crash-" + crash, 0, data, 0, data.length) == Status.OK) {
                crash++;
            }
            assertThat(crash).as("crash-time writes into the reserve").isGreaterThanOrEqualTo((int) (cfg.reserve() / 4200) - 1);
            store.query(space);
            assertThat(space.used()).isLessThanOrEqualTo(cfg.capacity());
        }
    }

    @Test
    void compactionReclaimsReplacedDataAndKeepsTheLatestValues() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            byte[] data = new byte[2048];
            for (int round = 0; round < 100; round++) {
                for (int v = 0; v < 10; v++) {
                    data[0] = (byte) round;
                    assertThat(store.set(NS, "v" + v, 0, data, 0, data.length)).as("round %d", round).isEqualTo(Status.OK);
                }
            }
            assertThat(store.health().compactions()).isPositive();
            assertThat(logFiles()).as("old generations deleted").hasSize(1);
        }
        try (VariableStore store = VariableStore.open(config().build())) {
            VariableBuffer out = new VariableBuffer(16);
            for (int v = 0; v < 10; v++) {
                assertThat(store.get(NS, "v" + v, out)).isEqualTo(Status.OK);
                assertThat(out.data()[0]).isEqualTo((byte) 99);
            }
            assertThat(names(store)).hasSize(10);
        }
    }

    @Test
    void deletesSucceedAfterCrashTimeWritesUsedTheReserveAndGiveTheSpaceBack() {
        StoreConfig cfg = config().build();
        List<String> names = new ArrayList<>();
        try (VariableStore store = VariableStore.open(cfg)) {
            byte[] data = new byte[4096];
            while (store.set(NS, "fill-" + names.size(), 0, data, 0, data.length) == Status.OK) {
                names.add("fill-" + names.size());
            }
            int normal = names.size();
            // crash-time writes take the reserve, down to the last bytes: big parts, then ever smaller ones
            for (int size = 4096; size >= 1; size /= 2) {
                while (store.setNonBlocking(NS, "crash-" + names.size(), 0, data, 0, size) == Status.OK) {
                    names.add("crash-" + names.size());
                }
            }
            assertThat(names.size()).as("crash-time writes went into the reserve").isGreaterThan(normal + 5);
            assertThat(store.set(NS, "refused", 0, data, 0, 1)).isEqualTo(Status.OUT_OF_RESOURCES);

            for (String name : names.subList(0, names.size() / 2)) {
                assertThat(store.set(NS, name, 0, null, 0, 0)).as("delete %s", name).isEqualTo(Status.OK);
                assertThat(store.get(NS, name, new VariableBuffer(8))).isEqualTo(Status.NOT_FOUND);
            }
        }
        try (VariableStore store = VariableStore.open(cfg)) {
            for (String name : names.subList(names.size() / 2, names.size())) {
                assertThat(store.set(NS, name, 0, null, 0, 0)).as("delete %s after reopening", name).isEqualTo(Status.OK);
            }
            assertThat(store.nextName(new NameCursor())).as("everything deleted").isEqualTo(Status.NOT_FOUND);
            StoreSpace space = new StoreSpace();
            store.query(space);
            assertThat(space.free()).as("the space came back").isEqualTo(cfg.capacity() - cfg.reserve());
            byte[] data = new byte[4096];
            assertThat(store.set(NS, "again", 0, data, 0, data.length)).isEqualTo(Status.OK);
        }
        try (VariableStore store = VariableStore.open(cfg)) {
            assertThat(names(store)).containsExactly("test:again");
        }
    }

    @Test
    void aLiveSetThatCannotFitIsRefusedEvenAfterCompaction() {
        try (VariableStore store = VariableStore.open(config().build())) {
            byte[] data = new byte[8192];
            int i = 0;
            while (store.set(NS, "keep-" + i, 0, data, 0, data.length) == Status.OK) {
                i++;
            }
            assertThat(store.set(NS, "one-more", 0, data, 0, data.length)).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(store.set(NS, "keep-0", 0, null, 0, 0)).as("deletes still work").isEqualTo(Status.OK);
            assertThat(store.set(NS, "one-more", 0, data, 0, data.length)).as("room again").isEqualTo(Status.OK);
        }
    }

    /** Every measured round must read 0, after the write path was run past the JIT's thresholds ({@link Jit}). */
    @Test
    void crashTimeWriteAllocatesNothing() {
        try (VariableStore store = VariableStore.open(config().capacity(64 << 20).reserve(16 << 20).build())) {
            byte[] small = new byte[64];
            StringBuilder name = new StringBuilder(64);
            int[] warmed = {0};
            Jit.warm(() -> { // inserts, then updates, of a few hundred names, as the measured writes name them
                name.setLength(0);
                name.append("dump-type0-").append(100 + warmed[0]++ % 256); // the measured names' literal, resolved here
                if (store.setNonBlocking(NS, name, Attributes.DEFAULT, small, 0, small.length) != Status.OK) {
                    throw new AssertionError("warm-up write refused");
                }
            });
            byte[] data = new byte[4096];
            long[] bytes = new long[10];
            for (int round = 0; round < bytes.length; round++) {
                int r = round;
                // normal operation comes before a crash: it keeps the next appends clear of Chronicle's
                // indexed positions, whose per-thread holders would be made on this thread (see VariableStore)
                assertThat(store.set(NS, "normal", Attributes.DEFAULT, small, 0, small.length)).isEqualTo(Status.OK);
                bytes[round] = Allocations.of(() -> {
                    for (int i = 0; i < 20; i++) {
                        name.setLength(0);
                        name.append("dump-type0-").append(r).append('-').append(i);
                        Status s = store.setNonBlocking(NS, name, Attributes.DEFAULT, data, 0, data.length);
                        if (s != Status.OK) {
                            throw new AssertionError(s);
                        }
                    }
                });
            }
            assertThat(bytes).as("bytes allocated by each round of 20 crash-time writes").containsOnly(0L);
        }
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolderNamed() {
        try (VariableStore store = VariableStore.open(config().build())) {
            assertThatThrownBy(() -> VariableStore.open(config().build()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another writer")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .extracting(e -> ((StoreException) e).status()).isEqualTo(Status.BUSY);
        }
        VariableStore.open(config().build()).close(); // released on close
    }

    @Test
    void filesAreOwnerOnly() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            set(store, NS, "a", "secret");
        }
        Path vars = dir.resolve("vars");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vars))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(vars)) {
            files.forEach(f -> assertThat(perms(f)).as(f.toString()).isEqualTo("rw-------"));
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> VariableStore.open(StoreConfig.builder(file).build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("exists and is not a directory");
        assertThatThrownBy(() -> VariableStore.open(StoreConfig.builder(file.resolve("sub")).build()))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot create");
    }

    @Test
    void damagedEntriesAreSkippedAndCountedTheRestIsKept() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 50; i++) {
                set(store, NS, "v" + i, "value-number-" + i);
            }
        }
        Path file = logFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, "value-number-17".getBytes(StandardCharsets.US_ASCII));
        bytes[at] ^= 0x20; // one flipped bit inside one entry's data
        Files.write(file, bytes);

        try (VariableStore store = VariableStore.open(config().build())) {
            assertThat(store.health().corruptEntries()).isEqualTo(1);
            assertThat(store.get(NS, "v17", new VariableBuffer(8))).isEqualTo(Status.NOT_FOUND);
            for (int i = 0; i < 50; i++) {
                if (i != 17) {
                    assertThat(get(store, NS, "v" + i)).isEqualTo("value-number-" + i);
                }
            }
        }
    }

    @Test
    void aLogFileOfGarbageIsMovedAsideAndTheStoreOpens() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            set(store, NS, "a", "alpha");
        }
        Path file = logFiles().get(0);
        byte[] junk = new byte[(int) Files.size(file)];
        new java.util.Random(42).nextBytes(junk);
        Files.write(file, junk);

        try (VariableStore store = VariableStore.open(config().build())) {
            assertThat(store.health().quarantined()).isNotEmpty();
            assertThat(set(store, NS, "b", "beta")).isEqualTo(Status.OK);
        }
        assertThat(quarantined()).as("kept for inspection").singleElement().asString()
                .matches("\\d{8}T\\d{6}\\.\\d{3}Z-vars-" + file.getFileName());
    }

    @Test
    void aTruncatedLogFileOpensWithWhatItHolds() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 20; i++) {
                set(store, NS, "v" + i, "value " + i);
            }
        }
        Path file = logFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        int end = indexOf(bytes, "value 12".getBytes(StandardCharsets.US_ASCII));
        Files.write(file, java.util.Arrays.copyOf(bytes, end));

        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 12; i++) {
                assertThat(get(store, NS, "v" + i)).isEqualTo("value " + i);
            }
            assertThat(store.health().quarantined()).as("the damaged file is kept aside").hasSize(1);
            assertThat(set(store, NS, "after", "x")).isEqualTo(Status.OK);
        }
        try (VariableStore store = VariableStore.open(config().build())) {
            assertThat(get(store, NS, "after")).as("written after the repair, read after reopening").isEqualTo("x");
            assertThat(get(store, NS, "v11")).isEqualTo("value 11");
        }
    }

    @Test
    void aRepairCutShortLosesNothing() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 20; i++) {
                set(store, NS, "v" + i, "value " + i);
            }
        }
        Path file = logFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, indexOf(bytes, "value 12".getBytes(StandardCharsets.US_ASCII))));

        // the repair copies what is readable into a new generation; the disk fails in the middle of it
        StoreConfig failing = config().faultInjection((phase, ns, name) -> {
            if (phase == FaultInjection.Phase.INSIDE_APPEND && name.toString().equals("v5")) {
                throw new IOException("device gone");
            }
        }).build();
        assertThatThrownBy(() -> VariableStore.open(failing)).isInstanceOf(StoreException.class)
                .hasMessageContaining("device gone");

        try (VariableStore store = VariableStore.open(config().build())) {
            for (int i = 0; i < 12; i++) {
                assertThat(get(store, NS, "v" + i)).as("v%d after the failed repair and a second one", i).isEqualTo("value " + i);
            }
            assertThat(store.health().quarantined()).as("the damaged file, kept aside").hasSize(1);
        }
    }

    @Test
    void aCorruptMetadataFileIsMovedAside() throws IOException {
        try (VariableStore store = VariableStore.open(config().build())) {
            set(store, NS, "a", "alpha");
        }
        Files.write(dir.resolve("vars/metadata.cq4t"), new byte[] {1, 2, 3, 4, 5, 6, 7});
        try (VariableStore store = VariableStore.open(config().build())) {
            assertThat(get(store, NS, "a")).as("the log itself was fine").isEqualTo("alpha");
            assertThat(set(store, NS, "b", "beta")).isEqualTo(Status.OK);
            assertThat(store.health().quarantined()).singleElement()
                    .satisfies(e -> assertThat(e.why()).startsWith("not a metadata file"))
                    .satisfies(e -> assertThat(e.name()).endsWith("-vars-metadata.cq4t"));
            assertThat(quarantined()).hasSize(1);
        }
    }

    /** The names in the store's quarantine (beside vars/). */
    private List<String> quarantined() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(Quarantine.DIR))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("vars"))) {
            return files.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    private static String perms(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Status set(VariableStore store, Namespace ns, String name, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return store.set(ns, name, Attributes.DEFAULT, b, 0, b.length);
    }

    static String get(VariableStore store, Namespace ns, String name) {
        VariableBuffer out = new VariableBuffer(4);
        Status s = store.get(ns, name, out);
        assertThat(s).as("get %s", name).isEqualTo(Status.OK);
        return out.toUtf8();
    }

    static List<String> names(VariableStore store) {
        List<String> names = new ArrayList<>();
        NameCursor c = new NameCursor();
        while (store.nextName(c) == Status.OK) {
            names.add((c.namespace().equals(NS) ? "test" : c.namespace().equals(OTHER) ? "other" : "?") + ":" + c.nameString());
        }
        return names;
    }
}
