package org.pstore.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.PstoreException;
import org.pstore.TestStores;
import org.pstore.backend.VariableNaming;
import org.pstore.boot.Boot;
import org.pstore.core.Attributes;
import org.pstore.core.Status;
import org.pstore.panic.DumpReason;
import org.pstore.record.Identity;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordFormat;
import org.pstore.record.RecordType;

class PstoreReaderTest {
    @TempDir
    Path dir;

    @Test
    void everyRecordTypeRoundTripsThroughStoreCloseReopenRead() {
        Boot.Booted b = TestStores.open(dir);
        long pmsgId;
        try {
            b.ring().println("console line one");
            pmsgId = b.pmsg().write("an application message".getBytes(StandardCharsets.UTF_8), 0, 22);
            b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
            b.ring().println("console line two");
            b.console().drain();
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.problems()).isEmpty();
            List<PstoreRecord> all = r.records();
            assertThat(all).extracting(PstoreRecord::typeWord).contains("dmesg", "pmsg", "console");

            PstoreRecord pmsg = r.find("pmsg-efi-" + pmsgId).orElseThrow();
            assertThat(r.payload(pmsg).text()).isEqualTo("an application message");
            assertThat(pmsg.bootNumber()).isEqualTo(1);
            assertThat(pmsg.pid()).isEqualTo(ProcessHandle.current().pid());

            PstoreRecord console = all.stream().filter(x -> x.type() == RecordType.CONSOLE).findFirst().orElseThrow();
            assertThat(console.name()).isEqualTo("console-efi-1000000000");
            assertThat(r.payload(console).text()).contains("console line one").contains("console line two");

            PstoreRecord dmesg = r.dumpParts(DumpReason.OOPS, 1).get(0);
            assertThat(dmesg.name()).startsWith("dmesg-efi-1000000");
            assertThat(r.find(Long.toString(dmesg.id()))).contains(dmesg);
            assertThat(r.payload(dmesg).text()).contains("console line one");
        }
    }

    @Test
    void aPayloadThatFailsToDecompressIsShownRawAndFlagged() {
        Boot.Booted b = TestStores.open(dir);
        try {
            Identity id = b.identity();
            byte[] frame = new byte[512];
            byte[] junk = "this is not zlib data at all".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(junk, 0, frame, RecordFormat.headerLength(id), junk.length);
            long recordId = id.bootNumber() * 1_000_000_000L + 999;
            int size = RecordFormat.seal(frame, id, RecordType.DMESG, 1, true, 1, 9, recordId, 1000, junk.length, new CRC32C());
            StringBuilder name = VariableNaming.format(new StringBuilder(), 0, 1, 9, recordId, true);
            assertThat(b.services().ops().set(VariableNaming.DUMP, name, Attributes.DEFAULT, frame, 0, size)).isEqualTo(Status.OK);
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            PstoreRecord rec = r.dumpParts(DumpReason.PANIC, 9).get(0);
            Payload p = r.payload(rec);
            assertThat(p.stillCompressed()).isTrue();
            assertThat(new String(p.bytes(), StandardCharsets.US_ASCII)).isEqualTo("this is not zlib data at all");
        }
    }

    @Test
    void damagedRecordsAreSkippedAndCountedTheGoodOnesListed() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        try {
            b.pmsg().write("good".getBytes(StandardCharsets.UTF_8), 0, 4);
            byte[] torn = new byte[40];
            StringBuilder name = VariableNaming.format(new StringBuilder(), 7, 0, 0, 1_000_000_777L, false);
            b.services().ops().set(VariableNaming.DUMP, name, Attributes.DEFAULT, torn, 0, torn.length);
        } finally {
            b.close();
        }
        byte[] area = Files.readAllBytes(dir.resolve("panic.area"));
        java.nio.ByteBuffer.wrap(area).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(4096, 123).putInt(4096 + 8, 100);
        Files.write(dir.resolve("panic.area"), area);

        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.records()).filteredOn(x -> x.type() != RecordType.CONSOLE).extracting(PstoreRecord::typeWord).containsExactly("pmsg");
            assertThat(r.problems()).hasSize(2)
                    .anyMatch(p -> p.contains("dump-type7-0-0-1000000777-D") && p.contains("fails validation"))
                    .anyMatch(p -> p.contains("panic area") && p.contains("fails validation"));
        }
    }

    /**
     * A record's entry is checksummed over its header and name only (its frame checks itself): a byte of a
     * pmsg's payload damaged on disk is caught by the frame's own check, and the message is skipped and named,
     * never shown with the damage.
     */
    @Test
    void aPmsgDamagedOnDiskIsSkippedAndNamedNeverShown() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        try {
            b.pmsg().write("the first message, intact".getBytes(StandardCharsets.UTF_8), 0, 25);
            b.pmsg().write("the second message, soon damaged".getBytes(StandardCharsets.UTF_8), 0, 32);
        } finally {
            b.close();
        }
        Path file;
        try (Stream<Path> files = Files.list(dir.resolve("vars"))) {
            file = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        byte[] target = "soon damaged".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, target);
        assertThat(at).as("the message's bytes in " + file).isPositive();
        bytes[at] ^= 0x20; // "Soon damaged": one bit
        Files.write(file, bytes);

        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.records()).filteredOn(x -> x.type() == RecordType.PMSG).extracting(x -> r.payload(x).text())
                    .containsExactly("the first message, intact");
            assertThat(r.problems()).singleElement().asString().contains("dump-type7-0-0-").contains("fails validation");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void readsWhileTheWriterRunsAndNeverSeesAHalfRecord() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            byte[] msg = "x".repeat(300).getBytes(StandardCharsets.US_ASCII);
            while (!stop.get()) {
                b.pmsg().write(msg, 0, msg.length);
                written.incrementAndGet();
            }
        });
        writer.start();
        try {
            long seen = 0;
            for (int i = 0; i < 20; i++) {
                try (PstoreReader r = PstoreReader.open(dir)) {
                    assertThat(r.problems()).isEmpty();
                    long pmsgs = r.records().stream().filter(x -> x.type() == RecordType.PMSG).count();
                    for (PstoreRecord x : r.records()) {
                        if (x.type() == RecordType.PMSG) {
                            Payload p = r.payload(x);
                            assertThat(p == null || p.text().equals("x".repeat(300))).isTrue();
                        }
                    }
                    seen = Math.max(seen, pmsgs);
                }
            }
            assertThat(seen).isPositive();
        } finally {
            stop.set(true);
            writer.join();
            b.close();
        }
        assertThat(written.get()).isPositive();
    }

    @Test
    void eraseRemovesRecordsAndKeepsTheCountersGoing() {
        Boot.Booted b = TestStores.open(dir);
        try {
            b.ring().println("first crash");
            b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir); PstoreReader.Eraser e = r.eraser()) {
            for (PstoreRecord x : r.records()) {
                assertThat(e.erase(x)).as(x.name()).isEqualTo(Status.OK);
            }
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.records()).isEmpty();
        }
        Boot.Booted again = TestStores.open(dir);
        try {
            again.ring().println("second crash");
            again.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
        } finally {
            again.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.dumpParts(DumpReason.OOPS, 1)).as("Oops#1 was erased, never reused").isEmpty();
            assertThat(r.dumpParts(DumpReason.OOPS, 2)).isNotEmpty();
        }
    }

    @Test
    void erasingWhileTheApplicationRunsIsRefusedInOneLine() {
        Boot.Booted b = TestStores.open(dir);
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThatThrownBy(r::eraser).isInstanceOf(PstoreException.class)
                    .hasMessageContaining("in use by another writer").hasMessageContaining("stop the application first");
        } finally {
            b.close();
        }
    }

    @Test
    void badDirectoriesAreOneLineErrors() throws Exception {
        assertThatThrownBy(() -> PstoreReader.open(dir.resolve("missing"))).hasMessageEndingWith("no such directory");
        assertThatThrownBy(() -> PstoreReader.open(dir)).hasMessageEndingWith("is empty: no store there yet");
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> PstoreReader.open(dir)).hasMessageContaining("is not a pstore store");
        assertThatThrownBy(() -> PstoreReader.open(dir.resolve("notes.txt"))).hasMessageEndingWith("is not a directory");
    }

    @Test
    void bootRefusesADirectoryThatIsNotAStore() throws Exception {
        Files.writeString(dir.resolve("important.doc"), "not ours");
        assertThatThrownBy(() -> TestStores.open(dir)).isInstanceOf(PstoreException.class)
                .hasMessageContaining("is not empty and is not a pstore store");
        assertThat(UUID.randomUUID()).isNotNull();
    }

    @Test
    void theServiceNameABootWasGivenIsInTheMarkerForTheReader() {
        TestStores.open(dir).close();
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.service()).as("none given").isEmpty();
        }
        Boot.open(TestStores.config(dir).service("checkout").build()).close();
        try (PstoreReader r = PstoreReader.open(dir)) {
            assertThat(r.service()).contains("checkout");
        }
    }
}
