package org.pstore.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.boot.Boot;
import org.pstore.compress.Compression;
import org.pstore.core.FaultInjection;
import org.pstore.core.ops.RuntimeServices;
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

    /**
     * A dump made while the store is in use (the default boot runs on the worker, which keeps the lock a
     * moment after each write, and another thread writes pmsgs all along) waits its turn: every part lands
     * in the store. Taking a held lock for a stuck store once sent parts to the panic area, whose ring then
     * overwrote the oldest of them.
     */
    @Test
    void dumpsWhileTheStoreIsInUseLandInTheStoreEveryPart() throws Exception {
        Boot.Booted b = Boot.open(TestStores.config(dir).capacity(8 << 20).build());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            byte[] message = "a pmsg between the parts".getBytes(StandardCharsets.UTF_8);
            try {
                while (writing.get()) {
                    b.pmsg().write(message, 0, message.length);
                    written.incrementAndGet();
                }
            } catch (RuntimeException e) {
                failed.set(e);
            }
        }, "pmsg-writer");
        int dumps = 16;
        try {
            writer.start();
            for (int d = 0; d < dumps; d++) {
                for (int i = 0; i < 1000; i++) {
                    b.ring().println("dump " + d + " line " + i + " " + Integer.toHexString(i * 0x9E3779B1));
                }
                b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis());
            }
        } finally {
            writing.set(false);
            writer.join(10_000);
            b.close();
        }
        assertThat(failed.get()).as("the pmsg writer's failure").isNull();
        assertThat(written.get()).as("pmsgs written meanwhile").isPositive();
        try (PstoreReader r = PstoreReader.open(dir)) {
            for (int n = 1; n <= dumps; n++) {
                List<PstoreRecord> parts = r.dumpParts(DumpReason.OOPS, n);
                assertThat(parts).as("Oops#%d", n).hasSizeGreaterThan(2);
                assertThat(parts).as("Oops#%d, where each part went", n).allMatch(p -> p.location().word().equals("store"));
                assertThat(parts.get(parts.size() - 1).part()).as("Oops#%d has its first part", n).isEqualTo(1);
            }
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

    /**
     * The watchdog's oops for a stuck worker (its timeout can be well under a second) must not wait an
     * operation timeout behind the lock the worker still holds: its parts go the crash-time way at once.
     */
    @Test
    void theOopsForAStuckWorkerGoesToThePanicAreaWithoutWaitingForTheLock() throws Exception {
        AtomicBoolean stall = new AtomicBoolean();
        Boot.Booted b = Boot.open(TestStores.config(dir).opTimeout(Duration.ofSeconds(60)).faultInjection((phase, ns, name) -> {
            if (phase == FaultInjection.Phase.INSIDE_APPEND && stall.compareAndSet(true, false)) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    throw new IOException("released");
                }
            }
        }).build());
        try {
            assertThat(b.services().modeInForce()).startsWith("interruptible");
            b.ring().println("last words before the worker hung");
            stall.set(true);
            byte[] m = "stuck here".getBytes(StandardCharsets.UTF_8);
            CompletableFuture.runAsync(() -> b.pmsg().write(m, 0, m.length)); // its caller waits, up to the timeout
            while (stall.get() || b.services().workerBusyNanos() == 0) {
                Thread.onSpinWait();
            }
            b.services().switchToLegacy(RuntimeServices.SWITCHED_WORKER_STUCK); // what the watchdog does, then the oops
            CompletableFuture.runAsync(() -> b.dumper().dump(DumpReason.OOPS, System.currentTimeMillis()))
                    .get(20, TimeUnit.SECONDS); // without the fix: the 60 s operation timeout
        } finally {
            b.services().workerThread().interrupt();
            b.close();
        }
        try (PstoreReader r = PstoreReader.open(dir)) {
            List<PstoreRecord> parts = r.dumpParts(DumpReason.OOPS, 1);
            assertThat(parts).isNotEmpty().allMatch(p -> p.location().word().equals("panic-area"));
            assertThat(r.payload(parts.get(parts.size() - 1)).text()).contains("last words before the worker hung");
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
