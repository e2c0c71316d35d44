package org.pstore.panic.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pstore.panic.TestMachines.await;
import static org.pstore.panic.TestMachines.continuing;
import static org.pstore.panic.TestMachines.join;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pstore.panic.Deadlocks;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.RecordingConsole;

class WatchdogTest {
    private final RecordingConsole console = new RecordingConsole();
    private final List<String> dumps = new CopyOnWriteArrayList<>();
    private final AtomicLong ticks = new AtomicLong();
    private Watchdog watchdog;

    @AfterEach
    void stopWatchdog() throws Exception {
        if (watchdog != null) {
            watchdog.stop();
            join(watchdog.thread());
        }
    }

    @Test
    void theWatchdogIsOneDaemonThreadPerMachine() {
        PanicMachine m = watchedMachine();
        assertThat(Watchdog.of(m)).isSameAs(watchdog);
        assertThat(watchdog.thread().getName()).isEqualTo("pstore-watchdog");
        assertThat(watchdog.thread().isDaemon()).isTrue();
        assertThat(watchdog.thread().isAlive()).isTrue();
    }

    @Test
    void aMissedHeartbeatIsOneOopsPerMissEpisode() {
        watchedMachine();
        Heartbeat heartbeat = watchdog.heartbeat("worker", Duration.ofMillis(100));
        await("the first miss", () -> dumps.size() == 1);
        assertThat(dumps).containsExactly("oops heartbeat worker missed");
        waitTicks(5);
        assertThat(dumps).hasSize(1);
        heartbeat.beat();
        await("the second miss episode", () -> dumps.size() == 2);
        heartbeat.close();
        waitTicks(5);
        assertThat(dumps).hasSize(2);
    }

    @Test
    void aBusyProbeRunsOnHangOncePerEpisodeOnTheWatchdogThread() {
        watchedMachine();
        AtomicLong busy = new AtomicLong();
        AtomicInteger hangs = new AtomicInteger();
        List<String> hangThreads = new CopyOnWriteArrayList<>();
        watchdog.watch("worker", busy::get, Duration.ofMillis(50), () -> {
            hangs.incrementAndGet();
            hangThreads.add(Thread.currentThread().getName());
        });
        waitTicks(3);
        assertThat(hangs).hasValue(0);
        busy.set(Duration.ofSeconds(1).toNanos());
        await("the hang", () -> hangs.get() == 1);
        waitTicks(5);
        assertThat(hangs).hasValue(1);
        busy.set(0);
        waitTicks(2);
        busy.set(Duration.ofSeconds(2).toNanos());
        await("the second hang", () -> hangs.get() == 2);
        assertThat(hangThreads).containsOnly("pstore-watchdog");
    }

    @Test
    void aThrowingProbeIsAnOopsAndTheWatchdogGoesOn() {
        watchedMachine();
        watchdog.watch("broken", () -> {
            throw new IllegalStateException("probe broken");
        }, Duration.ofMillis(50), () -> { });
        await("the oops", () -> dumps.contains("oops watch broken failed"));
        long seen = ticks.get();
        await("more ticks", () -> ticks.get() > seen + 2);
    }

    @Test
    void aRealDeadlockPanicsWithTheCycleInTheReport() throws Exception {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothLocked = new CountDownLatch(2);
        Thread a = Deadlocks.deadlocking("watchdog-deadlock-a", first, second, bothLocked);
        Thread b = Deadlocks.deadlocking("watchdog-deadlock-b", second, first, bothLocked);
        try {
            await("the deadlock", () -> ManagementFactory.getThreadMXBean().findDeadlockedThreads() != null);
            PanicMachine m = watchedMachine();
            await("the deadlock panic", m::finished);
            assertThat(dumps).containsExactly("panic deadlock");
            assertThat(m.owner().getName()).isEqualTo("pstore-watchdog");
            assertThat(console.lines())
                    .contains("JVM panic - not syncing: deadlock")
                    .anyMatch(l -> l.matches(
                            "Deadlock: \"watchdog-deadlock-a\" #\\d+ waits for .* held by \"watchdog-deadlock-b\" #\\d+"));
        } finally {
            a.interrupt();
            b.interrupt();
            join(a);
            join(b);
        }
    }

    @Test
    void invalidArgumentsAreRejected() {
        watchedMachine();
        assertThatThrownBy(() -> watchdog.heartbeat("hb", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hb");
        assertThatThrownBy(() -> watchdog.watch("w", () -> 0, Duration.ofMillis(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("w");
    }

    /** A machine with a fast watchdog, and a probe that counts the watchdog's rounds. */
    private PanicMachine watchedMachine() {
        PanicMachine m = new PanicMachine(continuing().watchdogInterval(Duration.ofMillis(20)).build());
        m.console(console);
        m.registerDumper("record", DumpReason.OOPS,
                (reason, revision, event) -> {
                    if (revision != org.pstore.panic.Dumper.FULL) {
                        dumps.add(reason.word() + " " + event.message());
                    }
                });
        watchdog = Watchdog.of(m);
        watchdog.watch("tick counter", () -> {
            ticks.incrementAndGet();
            return 0;
        }, Duration.ofDays(1), () -> { });
        return m;
    }

    private void waitTicks(int n) {
        long target = ticks.get() + n;
        await(n + " watchdog rounds", () -> ticks.get() >= target);
    }
}
