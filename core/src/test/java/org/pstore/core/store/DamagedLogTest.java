package org.pstore.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pstore.core.Durability;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.VariableBuffer;
import org.pstore.core.journal.Journal;

/**
 * Damage of the kinds Chronicle waits on or fails on (bit flips in metadata.cq4t, a torn header, a lock word
 * left set) must neither stall nor fail an open: the writer moves what does not validate into the quarantine,
 * says so, and goes on with everything good; a read-only view reads everything good, writes nothing and does
 * not wait. Each open is timed against a generous guard (Chronicle's own waits are 0.5 to 10 s).
 */
class DamagedLogTest {
    private static final Namespace NS = VariableStoreTest.NS;
    private static final Duration GUARD = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private Path vars() {
        return dir.resolve("vars");
    }

    private StoreConfig config() {
        return StoreConfig.builder(vars()).capacity(256 << 10).reserve(32 << 10).maxVariableSize(16 << 10).build();
    }

    private void fill(int n) {
        try (VariableStore store = VariableStore.open(config())) {
            for (int i = 0; i < n; i++) {
                VariableStoreTest.set(store, NS, "v" + i, "value " + i);
            }
        }
    }

    @Test
    void bitFlipsInTheMetadataFile() throws IOException {
        fill(40);
        Path metadata = vars().resolve(LogFiles.METADATA);
        byte[] b = Files.readAllBytes(metadata);
        int header = StoreViewTest.indexOf(b, "header".getBytes(StandardCharsets.US_ASCII));
        flip(metadata, header + 2, 3); // Chronicle retries the unparsable file, then: "Unable to claim exclusive ... lock"
        flip(metadata, header + 40, 0);

        assertViewReadsWithoutWriting(40);
        try (VariableStore store = timed("writer open", () -> VariableStore.open(config()))) {
            assertAll(store, 40);
            assertThat(store.health().quarantined()).singleElement()
                    .satisfies(e -> assertThat(e.name()).endsWith("-vars-metadata.cq4t"))
                    .satisfies(e -> assertThat(e.why()).startsWith("not a metadata file"));
            assertThat(VariableStoreTest.set(store, NS, "after", "x")).isEqualTo(Status.OK);
        }
        assertThat(quarantine()).hasSize(1);
        try (VariableStore store = timed("second open", () -> VariableStore.open(config()))) {
            assertThat(store.health().quarantined()).as("healed: nothing more to move aside").isEmpty();
            assertThat(VariableStoreTest.get(store, NS, "after")).isEqualTo("x");
        }
    }

    @Test
    void aLockWordLeftSetByADeadWriterOrAFlippedBit() throws IOException {
        fill(10);
        // pid 1 is alive: Chronicle would spin for its timeout and then refuse to append
        StoreViewTest.setMetadataValue(vars().resolve(LogFiles.METADATA), MetadataFile.WRITE_LOCK, 1);
        assertViewReadsWithoutWriting(10);
        try (VariableStore store = timed("writer open", () -> VariableStore.open(config()))) {
            assertAll(store, 10);
            assertThat(store.health().healing().repaired()).singleElement().asString().contains(MetadataFile.WRITE_LOCK);
            assertThat(store.health().quarantined()).isEmpty();
            assertThat(VariableStoreTest.set(store, NS, "after", "x")).isEqualTo(Status.OK);
        }
    }

    @Test
    void aGenerationWhoseCreationWasCutShort() throws IOException {
        fill(10);
        // a kill while Chronicle wrote a new file's store header: its first header still says "not complete"
        Path newest = LogFiles.cycleFile(vars(), 1);
        byte[] head = Files.readAllBytes(LogFiles.cycleFile(vars(), 0));
        byte[] torn = new byte[head.length];
        System.arraycopy(head, 0, torn, 0, 120);
        ByteBuffer.wrap(torn).order(ByteOrder.LITTLE_ENDIAN).putInt(0, CycleFile.CREATING);
        Files.write(newest, torn);

        assertViewReadsWithoutWriting(10);
        try (VariableStore store = timed("writer open", () -> VariableStore.open(config()))) {
            assertAll(store, 10);
            assertThat(store.health().quarantined()).as("nothing was ever in it").isEmpty();
            assertThat(VariableStoreTest.set(store, NS, "after", "x")).isEqualTo(Status.OK);
        }
    }

    @Test
    void aHeaderMarkedNotCompleteInTheMiddleOfAGeneration() throws IOException {
        fill(30);
        Path file = LogFiles.cycleFile(vars(), 0);
        long at = headerOf(file, "value 20");
        flip(file, at + 3, 7); // bit 31 of the header of v20's entry: Chronicle stops there and waits to write past it

        try (StoreView view = timed("view", () -> StoreView.open(vars()))) {
            assertThat(view.variables()).as("everything before the damage").isEqualTo(20);
        }
        try (VariableStore store = timed("writer open", () -> VariableStore.open(config()))) {
            for (int i = 0; i < 20; i++) {
                assertThat(VariableStoreTest.get(store, NS, "v" + i)).isEqualTo("value " + i);
            }
            assertThat(store.health().quarantined()).singleElement()
                    .satisfies(e -> assertThat(e.why()).contains("not complete"))
                    .satisfies(e -> assertThat(e.name()).endsWith("-vars-" + file.getFileName() + LogFiles.DAMAGED));
            assertThat(VariableStoreTest.set(store, NS, "after", "x")).isEqualTo(Status.OK);
        }
        try (VariableStore store = VariableStore.open(config())) {
            assertThat(VariableStoreTest.get(store, NS, "after")).isEqualTo("x");
            assertThat(VariableStoreTest.get(store, NS, "v19")).isEqualTo("value 19");
            assertThat(store.health().quarantined()).isEmpty();
        }
    }

    /**
     * Chronicle's index is not checksummed and Chronicle writes where it points: a flipped bit in an address
     * (CorruptStoresIT found one that made the next append grow a 5 MB file to 310 MB, past what a reader
     * accepts) is damage, salvaged like any other, before Chronicle may write through it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"index2index", "index"})
    void aFlippedBitInChroniclesIndex(String array) throws IOException {
        fill(40);
        Path file = LogFiles.cycleFile(vars(), 0);
        long size = Files.size(file);
        byte[] b = Files.readAllBytes(file);
        int name = StoreViewTest.indexOf(b, ("\u00b9" + (char) array.length() + array).getBytes(StandardCharsets.ISO_8859_1));
        int values = name + 2 + array.length();
        while (b[values] != (byte) 0x8D) {
            values++; // past the padding, to the long array: capacity, used, then the entries
        }
        long entry = values + 17 + (array.equals("index") ? 8 * 3 : 0); // the first entry, or one not used yet
        flip(file, entry + 3, 4); // bit 28 of an address: 256 MiB further on

        try (VariableStore store = timed("writer open", () -> VariableStore.open(config()))) {
            assertAll(store, 40);
            assertThat(store.health().quarantined()).singleElement()
                    .satisfies(e -> assertThat(e.why()).startsWith("Chronicle's index: ").contains(array));
            for (int i = 0; i < 300; i++) { // past an index spacing: Chronicle writes index entries
                assertThat(VariableStoreTest.set(store, NS, "after" + i, "x" + i)).isEqualTo(Status.OK);
            }
        }
        for (Path f : LogFiles.cycles(vars())) {
            assertThat(Files.size(f)).as(f + " grew where the index pointed").isLessThanOrEqualTo(size);
        }
        try (StoreView view = timed("view", () -> StoreView.open(vars()))) {
            assertThat(view.variables()).isEqualTo(340);
        }
    }

    @Test
    void theConsoleJournalHealsTheSameWay() throws IOException {
        Path console = dir.resolve("console");
        try (Journal j = Journal.openWritable(console, 64 << 10, Durability.PROCESS)) {
            for (int i = 0; i < 50; i++) {
                byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                j.append(line, 0, line.length);
            }
        }
        Path metadata = console.resolve(LogFiles.METADATA);
        byte[] b = Files.readAllBytes(metadata);
        flip(metadata, StoreViewTest.indexOf(b, "header".getBytes(StandardCharsets.US_ASCII)) + 1, 5);
        Path segment = LogFiles.cycles(console).get(0);
        flip(segment, headerOf(segment, "line 40"), 0); // a length that no longer frames its entry... 
        flip(segment, headerOf(segment, "line 30") + 3, 7); // ...after a header marked not complete

        Map<String, String> before = contents(console);
        List<String> read = new ArrayList<>();
        try (Journal.Reader r = timed("journal reader", () -> Journal.openReadOnly(console))) {
            byte[][] buf = {new byte[64]};
            for (int n; (n = r.next(buf)) >= 0; ) {
                read.add(new String(buf[0], 0, n, StandardCharsets.US_ASCII).strip());
            }
        }
        assertThat(read).as("every line before the damage").hasSize(30).startsWith("line 0").endsWith("line 29");
        assertThat(contents(console)).as("the reader wrote nothing").isEqualTo(before);

        try (Journal j = timed("journal writer open", () -> Journal.openWritable(console, 64 << 10, Durability.PROCESS))) {
            assertThat(j.healing().quarantined()).extracting(Quarantine.Entry::name)
                    .anySatisfy(n -> assertThat(n).endsWith("-console-metadata.cq4t"))
                    .anySatisfy(n -> assertThat(n).endsWith("-console-" + segment.getFileName()));
            byte[] line = "after\n".getBytes(StandardCharsets.US_ASCII);
            j.append(line, 0, line.length);
        }
        try (Journal.Reader r = Journal.openReadOnly(console)) {
            byte[][] buf = {new byte[64]};
            assertThat(r.next(buf)).isPositive();
            assertThat(new String(buf[0], 0, 6, StandardCharsets.US_ASCII)).isEqualTo("after\n");
        }
    }

    @Test
    void theQuarantineIsBoundedAndSaysWhatItRemoved() throws IOException {
        Quarantine q = new Quarantine(dir.resolve("q"), 10_000);
        List<Quarantine.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = Files.write(dir.resolve("f" + i), new byte[3000]);
            entries.add(q.add(f, "vars", "test " + i));
            assertThat(f).doesNotExist();
        }
        assertThat(q.bytes()).isLessThanOrEqualTo(10_000);
        assertThat(q.files()).hasSize(3);
        assertThat(entries.get(3).evicted()).singleElement().asString().endsWith("-vars-f0");
        assertThat(entries.get(4).evicted()).singleElement().asString().endsWith("-vars-f1");
        assertThat(q.files()).allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f)).isEqualTo(StoreFiles.FILE));
        assertThat(Files.getPosixFilePermissions(q.dir())).isEqualTo(StoreFiles.DIR);

        Path big = Files.write(dir.resolve("big"), new byte[20_000]);
        Quarantine.Entry e = q.add(big, "vars", "too big");
        assertThat(e.evicted()).singleElement().asString().contains("not kept");
        assertThat(q.files()).as("the others stay").hasSize(3);
    }

    /** A view opens fast, sees all {@code n} variables, and changes no byte of any file. */
    private void assertViewReadsWithoutWriting(int n) throws IOException {
        Map<String, String> before = contents(vars());
        try (StoreView view = timed("view", () -> StoreView.open(vars()))) {
            assertThat(view.variables()).isEqualTo(n);
            Map<String, String> seen = new HashMap<>();
            assertThat(view.forEach((ns, name, a, data, off, len) -> seen.put(name.toString(), new String(data, off, len, StandardCharsets.UTF_8))))
                    .isZero();
            assertThat(seen).hasSize(n).containsEntry("v0", "value 0");
        }
        assertThat(contents(vars())).as("the view wrote nothing").isEqualTo(before);
        assertThat(dir.resolve(Quarantine.DIR)).doesNotExist();
    }

    private static void assertAll(VariableStore store, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(VariableStoreTest.get(store, NS, "v" + i)).isEqualTo("value " + i);
        }
    }

    private List<String> quarantine() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(Quarantine.DIR))) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    /** The position of the header of the entry holding {@code text}. */
    private static long headerOf(Path file, String text) throws IOException {
        try (CycleFile c = CycleFile.open(file)) {
            CycleFile.Cursor cursor = c.cursor();
            byte[][] buf = {new byte[256]};
            byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
            for (int n; (n = cursor.next(buf)) >= 0; ) {
                for (int i = 0; i + needle.length <= n; i++) {
                    if (java.util.Arrays.equals(buf[0], i, i + needle.length, needle, 0, needle.length)) {
                        return cursor.position();
                    }
                }
            }
        }
        throw new AssertionError(text + " not found in " + file);
    }

    private static void flip(Path file, long offset, int bit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ (1 << bit)));
            ch.write(one.rewind(), offset);
        }
    }

    /** Every file's name and digest. */
    private static Map<String, String> contents(Path d) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : files.toList()) {
                m.put(f.getFileName().toString(), HexFormat.of().formatHex(sha(Files.readAllBytes(f))));
            }
        }
        return m;
    }

    private static byte[] sha(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private interface Open<T> {
        T open() throws IOException;
    }

    /** Opens, prints how long it took, and fails if it took longer than the guard. */
    private static <T> T timed(String what, Open<T> open) throws IOException {
        long t0 = System.nanoTime();
        T t = open.open();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println(what + " of a damaged log: " + took.toMillis() + " ms");
        assertThat(took).as(what + " took").isLessThan(GUARD);
        return t;
    }
}
