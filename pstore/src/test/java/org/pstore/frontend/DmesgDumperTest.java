package org.pstore.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.boot.Boot;
import org.pstore.compress.Compression;
import org.pstore.panic.DumpReason;
import org.pstore.reader.Payload;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;

class DmesgDumperTest {
    @TempDir
    Path dir;

    @Test
    void partsAreNewestFirstEachWithItsHeaderAndTogetherTheTail() {
        Boot.Booted b = TestStores.open(dir);
        try {
            for (int i = 0; i < 2000; i++) {
                b.ring().println("tick " + i + " " + "#".repeat(40));
            }
            b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            List<PstoreRecord> parts = r.dumpParts(DumpReason.OOPS, 1);
            assertThat(parts).hasSizeGreaterThan(2);
            assertThat(parts.get(parts.size() - 1).part()).isEqualTo(1);
            StringBuilder whole = new StringBuilder();
            for (PstoreRecord p : parts) {
                String text = r.payload(p).text();
                assertThat(text).startsWith("Oops#1 Part#" + p.part() + "\n");
                assertThat(p.size()).isLessThanOrEqualTo(8 << 10);
                whole.append(text.substring(text.indexOf('\n') + 1));
            }
            assertThat(whole).endsWith("tick 1999 " + "#".repeat(40) + "\n");
            assertThat(whole.length()).isBetween(32 << 10, (32 << 10) + (8 << 10));
            List<Integer> ticks = whole.toString().lines().filter(l -> l.contains("] tick "))
                    .map(l -> Integer.parseInt(l.substring(l.indexOf("tick ") + 5, l.indexOf(" #")))).toList();
            assertThat(ticks).isSorted();
            assertThat(ticks.get(ticks.size() - 1) - ticks.get(0) + 1).as("no line missing").isEqualTo(ticks.size());
        }
    }

    @Test
    void theCounterGoesOnAcrossRestarts() {
        for (int run = 1; run <= 3; run++) {
            Boot.Booted b = TestStores.open(dir);
            try {
                b.ring().println("run " + run);
                b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
            } finally {
                b.close();
            }
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            for (int n = 1; n <= 3; n++) {
                List<PstoreRecord> parts = r.dumpParts(DumpReason.OOPS, n);
                assertThat(parts).as("Oops#%d", n).isNotEmpty();
                assertThat(r.payload(parts.get(parts.size() - 1)).text()).startsWith("Oops#" + n + " Part#1").contains("run " + n);
                assertThat(parts.get(0).bootNumber()).isEqualTo(n);
            }
        }
    }

    @Test
    void uncompressedWhenCompressionIsOff() {
        Boot.Booted b = Boot.open(TestStores.config(dir).compression(Compression.NONE).build());
        try {
            b.ring().println("plain text");
            b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            PstoreRecord part = r.dumpParts(DumpReason.OOPS, 1).get(0);
            assertThat(part.compressed()).isFalse();
            assertThat(r.payload(part).text()).contains("plain text");
        }
    }

    @Test
    void compressedByDefaultAndReadBackDecompressed() {
        Boot.Booted b = TestStores.open(dir);
        try {
            for (int i = 0; i < 500; i++) {
                b.ring().println("very compressible line " + i);
            }
            b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            PstoreRecord part = r.dumpParts(DumpReason.OOPS, 1).get(r.dumpParts(DumpReason.OOPS, 1).size() - 1);
            assertThat(part.compressed()).isTrue();
            Payload p = r.payload(part);
            assertThat(p.stillCompressed()).isFalse();
            assertThat(p.text()).contains("very compressible line 499");
            assertThat(p.bytes().length).isGreaterThan(part.size());
        }
    }

    @Test
    void withTheStoreLockHeldByAStuckWriterThePanicDumpGoesToThePanicAreaIntact() throws Exception {
        Boot.Booted b = TestStores.open(dir);
        try {
            b.ring().println("last words before the panic");
            CompletableFuture.runAsync(() -> b.services().lock().tryAcquire()).get(10, TimeUnit.SECONDS);
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis());
            b.services().lock().release();
        } finally {
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            List<PstoreRecord> parts = r.dumpParts(DumpReason.PANIC, 1);
            assertThat(parts).isNotEmpty().allMatch(p -> p.location().word().equals("panic-area"));
            assertThat(r.payload(parts.get(parts.size() - 1)).text()).contains("last words before the panic");
            assertThat(r.problems()).isEmpty();
        }
    }
}
