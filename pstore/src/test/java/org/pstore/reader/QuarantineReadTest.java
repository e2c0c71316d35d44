package org.pstore.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.backend.EfiBackend;
import org.pstore.boot.Boot;
import org.pstore.boot.StoreLayout;
import org.pstore.core.Status;
import org.pstore.core.store.Quarantine;
import org.pstore.record.Location;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * What a boot moved into the quarantine is still read: the records of a variable store generation and of a
 * console journal segment moved there are listed (location quarantine), read back, and erased by a
 * tombstone, the files left as they were; a store without its marker but laid out as one is read, with a
 * warning, and healed by the next boot, which records what it did.
 */
class QuarantineReadTest {
    @TempDir
    Path dir;

    @Test
    void quarantinedFilesAreReadReadOnlyAndErasedByTombstone() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        long id;
        try {
            b.ring().println("a line before the damage");
            id = b.pmsg().write("kept in a generation now in quarantine".getBytes(StandardCharsets.UTF_8), 0, 38);
            b.console().drain();
        } finally {
            b.close();
        }
        Path q = Files.createDirectories(dir.resolve(Quarantine.DIR));
        moveAll(EfiBackend.vars(dir), q, "vars");
        moveAll(EfiBackend.console(dir), q, "console");
        long sizeBefore = totalSize(q);

        try (PstoreReader r = PstoreReader.open(dir)) {
            PstoreRecord pmsg = r.find(Long.toString(id)).orElseThrow();
            assertThat(pmsg.location()).isEqualTo(Location.QUARANTINE);
            assertThat(r.payload(pmsg).text()).isEqualTo("kept in a generation now in quarantine");
            PstoreRecord console = r.records().stream().filter(x -> x.type() == RecordType.CONSOLE).findFirst().orElseThrow();
            assertThat(console.location()).isEqualTo(Location.QUARANTINE);
            assertThat(r.payload(console).text()).contains("a line before the damage");
            try (PstoreReader.Eraser e = r.eraser()) {
                assertThat(e.erase(pmsg)).isEqualTo(Status.OK);
            }
        }
        assertThat(totalSize(q)).as("the quarantined files are kept as they were").isEqualTo(sizeBefore);
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.find(Long.toString(id))).as("erased by its tombstone").isEmpty();
        }
    }

    @Test
    void aStoreWithoutItsMarkerIsReadWithAWarningAndHealedByBoot() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        long id;
        try {
            id = b.pmsg().write("before the marker went".getBytes(StandardCharsets.UTF_8), 0, 22);
        } finally {
            b.close();
        }
        Files.delete(dir.resolve(StoreLayout.MARKER));
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.problems()).anyMatch(p -> p.contains("marker") && p.contains("missing"));
            assertThat(r.find(Long.toString(id))).isPresent();
        }
        Boot.open(org.pstore.PstoreConfig.builder().dir(dir).build()).close();
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.problems()).isEmpty();
            assertThat(r.find(Long.toString(id))).isPresent();
            List<PstoreRecord> healing = r.records().stream().filter(x -> x.type() == RecordType.HEALING).toList();
            assertThat(healing).hasSize(1);
            assertThat(r.payload(healing.get(0)).text()).contains("marker PSTORE missing");
        }
        String marker = Files.readString(dir.resolve(StoreLayout.MARKER));
        int digit = marker.indexOf("\ncapacity ") + "\ncapacity ".length();
        assertThat(digit).as(marker).isGreaterThan("\ncapacity ".length());
        char flipped = marker.charAt(digit) == '1' ? '2' : '1';
        Files.writeString(dir.resolve(StoreLayout.MARKER), marker.substring(0, digit) + flipped + marker.substring(digit + 1));
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.problems()).as("a flipped digit is caught by the marker's checksum").anyMatch(p -> p.contains("checksum"));
            assertThat(r.find(Long.toString(id))).isPresent();
        }
    }

    private static void moveAll(Path from, Path to, String origin) throws Exception {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".cq4")).toList()) {
                Files.move(f, to.resolve("20261201T000000.000Z-" + origin + "-" + f.getFileName()));
            }
        }
    }

    private static long totalSize(Path dir) throws Exception {
        long n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                n += Files.size(f);
            }
        }
        return n;
    }
}
