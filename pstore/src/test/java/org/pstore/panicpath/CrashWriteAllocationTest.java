package org.pstore.panicpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.TestStores;
import org.pstore.boot.Boot;
import org.pstore.backend.VariableNaming;
import org.pstore.core.Attributes;
import org.pstore.core.testing.Allocations;
import org.pstore.core.testing.Jit;
import org.pstore.panic.Dumper;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicAction;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.PanicSettings;
import org.pstore.panic.Priority;
import org.pstore.reader.PstoreReader;

/**
 * Invariant 5: between the switch to the legacy ops and the written record, the panicking thread
 * allocates nothing — measured with HotSpot's per-thread allocation counter around the real chain: the
 * switch notifier, the early dump step with pstore's dmesg dumper and the efi backend, then a notifier that
 * reads the counter again; and around the full dump step alone (the heap-hungry report runs between the
 * two, and is not measured). Both ways a record can go: into the store, and into the panic area (lock
 * held). Every measured panic must read 0 bytes, not the best of a few.
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
        Boot.Booted b = Boot.open(TestStores.config(dir).capacity(256 << 20).reserve(8 << 20).build());
        try {
            b.dumper().rehearse();
            // Past the JIT's thresholds first (see Jit): the dumps while the lock is held (into the panic area,
            // whose slots are reused: the store's index keeps its room), then the store's crash-time write.
            holdLock(b);
            for (int i = 0; i < 20; i++) {
                b.ring().println("a log line before the crash, number " + i);
            }
            int[] revision = {Dumper.EARLY};
            Jit.warm(() -> {
                b.dumper().dump(DumpReason.PANIC, revision[0], System.currentTimeMillis());
                revision[0] = revision[0] == Dumper.EARLY ? Dumper.FULL : Dumper.EARLY;
            });
            b.services().lock().release();
            byte[] frame = new byte[1024];
            Jit.warm(() -> b.services().legacyOps().setNonBlocking(VariableNaming.DUMP, "dump-type0-1-1-1-C",
                    Attributes.DEFAULT, frame, 0, frame.length));
            if (lockHeld) {
                holdLock(b);
            }
            for (int i = 0; i < 3000; i++) {
                b.ring().println("a log line before the crash, number " + i);
            }
            long most = 0;
            for (int run = 0; run < RUNS; run++) {
                long[] bytes = oneCrash(b);
                System.out.println("allocated bytes, early dump " + bytes[0] + ", full dump " + bytes[1]);
                most = Math.max(most, Math.max(bytes[0], bytes[1]));
            }
            if (lockHeld) {
                b.services().lock().release();
            }
            try (PstoreReader r = PstoreReader.open(dir)) {
                assertThat(r.dumpParts(DumpReason.PANIC, b.lifetime().count(DumpReason.PANIC))).isNotEmpty()
                        .allMatch(p -> p.location().word().equals(lockHeld ? "panic-area" : "store"))
                        .allMatch(p -> p.revision() == org.pstore.panic.Dumper.FULL);
            }
            return most;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            b.close();
        }
    }

    private static final int RUNS = 5;

    /** Takes the store lock from another thread, as a stuck worker holds it. */
    private static void holdLock(Boot.Booted b) throws Exception {
        CompletableFuture.runAsync(() -> b.services().lock().tryAcquire()).get(10, TimeUnit.SECONDS);
    }

    /** Bytes the early and the full dump steps allocated on the panicking thread. */
    private static long[] oneCrash(Boot.Booted b) {
        long[] at = new long[5];
        PanicMachine m = new PanicMachine(PanicSettings.builder().action(PanicAction.CONTINUE).build());
        m.registerNotifier("pstore-ops-switch", Priority.SWITCH, e -> {
            b.services().switchToLegacy(org.pstore.core.ops.RuntimeServices.SWITCHED_AT_PANIC);
            at[0] = Allocations.current();
            at[1] = Allocations.current();
        });
        m.registerDumper("pstore-dmesg", DumpReason.OOPS, b.dumper());
        m.registerNotifier("after the early dump", Priority.DUMP - 1, e -> at[2] = Allocations.current());
        m.registerNotifier("before the full dump", Priority.DUMP_FULL + 1, e -> at[3] = Allocations.current());
        m.registerNotifier("after the full dump", Priority.DUMP_FULL - 1, e -> at[4] = Allocations.current());
        m.console(b.ring());
        m.arm();
        if (!b.services().lock().held()) {
            // Normal operation goes before a panic (here, before each of several): it keeps the store's
            // crash-time writes clear of Chronicle's indexed positions (see VariableStore).
            byte[] message = {1, 2, 3};
            b.pmsg().write(message, 0, message.length);
        }
        m.panic("measured panic", new IllegalStateException("cause"));
        long overhead = at[1] - at[0];
        return new long[] {at[2] - at[1] - overhead, at[4] - at[3] - overhead};
    }
}
