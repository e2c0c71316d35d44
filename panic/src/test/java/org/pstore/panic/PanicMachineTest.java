package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pstore.panic.TestMachines.await;
import static org.pstore.panic.TestMachines.continuing;
import static org.pstore.panic.TestMachines.join;
import static org.pstore.panic.TestMachines.machine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PanicMachineTest {
    private final RecordingConsole console = new RecordingConsole();

    @Test
    void exactlyOneOfSixteenConcurrentPanicsDumpsAndTheOthersReturnAfterItFinished() throws Exception {
        PanicMachine m = machine(console);
        m.arm();
        AtomicInteger dumps = new AtomicInteger();
        m.registerDumper("count", DumpReason.PANIC, (reason, revision, event) -> {
            if (revision == Dumper.EARLY) {
                dumps.incrementAndGet();
            }
        });
        CyclicBarrier start = new CyclicBarrier(16);
        List<Boolean> finishedOnReturn = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String message = "boom " + i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                m.panic(message, null);
                finishedOnReturn.add(m.finished());
            }, "panicker-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            join(t);
        }
        assertThat(dumps).hasValue(1);
        assertThat(finishedOnReturn).hasSize(16).containsOnly(true);
        assertThat(threads).contains(m.owner());
        assertThat(console.count("JVM panic - not syncing: boom ")).isEqualTo(1);
        assertThat(console.count("panic after panic: boom ")).isEqualTo(15);
        assertThat(m.nestedPanics()).isZero();
    }

    @Test
    void losersParkWithoutSpinningUntilTheWinnerFinishes() throws Exception {
        PanicMachine m = new PanicMachine(continuing()
                .timeout(Duration.ofHours(1)).notifierTimeout(Duration.ofHours(1)).build());
        m.console(console);
        m.arm();
        CountDownLatch inNotifier = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        m.registerNotifier("slow", Priority.DEFAULT, event -> {
            inNotifier.countDown();
            release.await();
        });
        Thread winner = new Thread(() -> m.panic("first", null), "winner");
        winner.start();
        assertThat(inNotifier.await(60, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean loserReturned = new AtomicBoolean();
        Thread loser = new Thread(() -> {
            m.panic("second", null);
            loserReturned.set(true);
        }, "loser");
        loser.start();
        await("the loser to park", () -> loser.getState() == Thread.State.WAITING);
        assertThat(loserReturned).isFalse();
        assertThat(m.finished()).isFalse();
        release.countDown();
        join(winner);
        join(loser);
        assertThat(loserReturned).isTrue();
        assertThat(m.finished()).isTrue();
        assertThat(console.has("panic after panic: second")).isTrue();
    }

    @Test
    void notifiersRunByPriorityThenRegistrationOrderWithTheDumpStepAfterTheSwitch() {
        PanicMachine m = machine(console);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        m.registerNotifier("low", Priority.DEFAULT, e -> order.add("low"));
        m.registerNotifier("high-1", 10, e -> order.add("high-1"));
        m.registerNotifier("negative", -5, e -> order.add("negative"));
        m.registerNotifier("high-2", 10, e -> order.add("high-2"));
        m.registerNotifier("switch", Priority.SWITCH, e -> order.add("switch"));
        m.registerNotifier("after-dump", Priority.DUMP, e -> order.add("after-dump"));
        m.registerDumper("dumper", DumpReason.PANIC, (r, revision, e) -> order.add("dump " + revision));
        m.panic("order", null);
        assertThat(order).containsExactly("switch", "dump 1", "after-dump", "dump 2", "high-1", "high-2", "low",
                "negative");
    }

    @Test
    void aThrowingNotifierIsReportedInOneLineAndTheChainGoesOn() {
        PanicMachine m = machine(console);
        List<String> ran = new CopyOnWriteArrayList<>();
        m.registerNotifier("thrower", 5, e -> {
            throw new IllegalStateException("bad notifier");
        });
        m.registerNotifier("next", 1, e -> ran.add("next"));
        m.registerDumper("failing-dumper", DumpReason.PANIC, (r, revision, e) -> {
            throw new java.io.IOException("disk gone");
        });
        m.registerDumper("good-dumper", DumpReason.PANIC, (r, revision, e) -> ran.add("good-dumper " + revision));
        m.panic("isolation", null);
        assertThat(ran).containsExactly("good-dumper 1", "good-dumper 2", "next");
        assertThat(console.lines())
                .contains("notifier thrower failed: java.lang.IllegalStateException: bad notifier")
                .contains("dumper failing-dumper failed: java.io.IOException: disk gone");
        assertThat(m.finished()).isTrue();
    }

    @Test
    void aNestedPanicReturnsAtOnceAndIsCounted() {
        PanicMachine m = machine(console);
        AtomicInteger dumps = new AtomicInteger();
        AtomicBoolean returned = new AtomicBoolean();
        m.registerNotifier("panics-again", Priority.DEFAULT, e -> {
            m.panic("inner", null);
            m.panic("inner again", null);
            returned.set(true);
        });
        m.registerDumper("count", DumpReason.PANIC, (r, revision, e) -> {
            if (revision != Dumper.FULL) {
                dumps.incrementAndGet();
            }
        });
        m.panic("outer", null);
        assertThat(returned).isTrue();
        assertThat(m.nestedPanics()).isEqualTo(2);
        assertThat(console.lines()).contains("nested panic: inner", "nested panic: inner again");
        assertThat(dumps).hasValue(1);
        assertThat(m.finished()).isTrue();
    }

    @Test
    void aPanicAfterAFinishedContinuePanicIsOneLineAndNoSecondDump() {
        PanicMachine m = machine(console);
        AtomicInteger dumps = new AtomicInteger();
        m.registerDumper("count", DumpReason.PANIC, (r, revision, e) -> {
            if (revision != Dumper.FULL) {
                dumps.incrementAndGet();
            }
        });
        m.panic("first", null);
        m.panic("second", null);
        Thread other = new Thread(() -> m.panic("third", null));
        other.start();
        assertThat(dumps).hasValue(1);
        await("the other thread", () -> !other.isAlive());
        assertThat(console.lines()).contains("panic after panic: second", "panic after panic: third");
        assertThat(m.nestedPanics()).isZero();
    }

    @Test
    void dumpersRunOnlyForReasonsUpToTheirMaxReason() {
        PanicMachine m = machine(console);
        List<String> calls = new CopyOnWriteArrayList<>();
        for (DumpReason max : DumpReason.values()) {
            m.registerDumper(max.word(), max, (r, revision, e) -> {
                if (revision != Dumper.FULL) {
                    calls.add(max.word() + "<-" + r.word());
                }
            });
        }
        m.dump(DumpReason.SHUTDOWN, "shutdown", null);
        assertThat(calls).containsExactly("shutdown<-shutdown");
        calls.clear();
        m.dump(DumpReason.EMERG, "emerg", null);
        assertThat(calls).containsExactly("emerg<-emerg", "shutdown<-emerg");
        calls.clear();
        m.oops("oops", null);
        // UNDEF means the Linux default, OOPS
        assertThat(calls).containsExactly("undef<-oops", "oops<-oops", "emerg<-oops", "shutdown<-oops");
        calls.clear();
        m.panic("panic", null);
        assertThat(calls).containsExactly("undef<-panic", "panic<-panic", "oops<-panic", "emerg<-panic",
                "shutdown<-panic");
        assertThatThrownBy(() -> m.dump(DumpReason.UNDEF, "x", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDumpPrintsAShortHeaderAndFillsTheEvent() {
        PanicMachine m = machine(console);
        AtomicReference<String> seen = new AtomicReference<>();
        m.registerDumper("d", DumpReason.SHUTDOWN, (r, revision, e) ->
                seen.set(e.reason().word() + " " + e.message() + " " + e.thread().getName()));
        m.dump(DumpReason.EMERG, "emergency", null);
        assertThat(seen.get()).isEqualTo("emerg emergency " + Thread.currentThread().getName());
        assertThat(console.lines().get(0)).isEqualTo("Dump: emerg: emergency");
        assertThat(console.lines().get(1)).startsWith("Time: ");
        assertThat(console.lines().get(2)).startsWith("Thread: \"" + Thread.currentThread().getName() + "\"");
        assertThat(console.lines().get(3)).startsWith("JVM: ");
        assertThat(console.lines().get(4)).startsWith("Heap: ");
        assertThat(console.lines().get(5)).startsWith("Args: ");
        assertThat(console.lines()).hasSize(6);
        assertThat(m.panicking()).isFalse();
    }

    @Test
    void anOopsPrintsTheReportAndDumpsButRunsNoNotifierAndNoAction() {
        PanicMachine m = machine(console);
        AtomicInteger notified = new AtomicInteger();
        List<String> dumps = new CopyOnWriteArrayList<>();
        m.registerNotifier("n", Priority.DEFAULT, e -> notified.incrementAndGet());
        m.registerDumper("d", DumpReason.OOPS, (r, revision, e) -> dumps.add(r.word() + " " + e.message()));
        m.oops("worker died", new IllegalStateException("bad state"));
        assertThat(notified).hasValue(0);
        assertThat(dumps).containsExactly("oops worker died");
        assertThat(m.panicking()).isFalse();
        assertThat(console.lines()).contains("Oops: worker died", "Cause: java.lang.IllegalStateException: bad state",
                "---[ end Oops: worker died ]---");
        assertThat(console.has("Threads:")).isFalse();
    }

    @Test
    void panicOnOopsTurnsAnOopsIntoAPanic() {
        PanicMachine m = new PanicMachine(continuing().panicOnOops(true).build());
        m.console(console);
        AtomicInteger notified = new AtomicInteger();
        m.registerNotifier("n", Priority.DEFAULT, e -> notified.incrementAndGet());
        m.oops("escalated", null);
        assertThat(m.panicking()).isTrue();
        assertThat(notified).hasValue(1);
        assertThat(console.has("JVM panic - not syncing: escalated")).isTrue();
    }

    @Test
    void concurrentOopsesAreSerialized() throws Exception {
        PanicMachine m = machine(console);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger dumps = new AtomicInteger();
        m.registerDumper("d", DumpReason.OOPS, (r, revision, e) -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.yield();
            dumps.incrementAndGet();
            inside.decrementAndGet();
        });
        CyclicBarrier start = new CyclicBarrier(8);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                m.oops("concurrent", null);
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            join(t);
        }
        assertThat(dumps).hasValue(8);
        assertThat(mostInside).hasValue(1);
    }

    @Test
    void anOopsWhilePanickingIsOneLineAndDropped() throws Exception {
        PanicMachine m = machine(console);
        List<String> dumps = new CopyOnWriteArrayList<>();
        m.registerDumper("d", DumpReason.OOPS, (r, revision, e) -> dumps.add(r.word() + " " + revision));
        m.registerNotifier("oopses", Priority.DEFAULT, e -> {
            m.oops("from the owner", null);
            Thread other = new Thread(() -> m.oops("from another thread", null));
            other.start();
            other.join();
            m.dump(DumpReason.SHUTDOWN, "late shutdown", null);
        });
        m.panic("panicking", null);
        assertThat(dumps).containsExactly("panic 1", "panic 2");
        assertThat(console.lines()).contains("oops while panicking: from the owner",
                "oops while panicking: from another thread", "dump while panicking: late shutdown");
        // the JVM goes on after a CONTINUE panic: oopses work again
        m.oops("afterwards", null);
        assertThat(dumps).containsExactly("panic 1", "panic 2", "oops 0");
    }

    @Test
    void aHungNotifierIsLeftBehindAndThePanicTimerRunsTheRest() throws Exception {
        PanicMachine m = new PanicMachine(continuing().notifierTimeout(Duration.ofMillis(200)).build());
        m.console(console);
        m.arm();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger hungRuns = new AtomicInteger();
        List<String> ran = new CopyOnWriteArrayList<>();
        m.registerNotifier("hung", Priority.SWITCH, e -> {
            hungRuns.incrementAndGet();
            release.await();
        });
        m.registerDumper("d", DumpReason.PANIC,
                (r, revision, e) -> ran.add("dump " + revision + " on " + Thread.currentThread().getName()));
        m.registerNotifier("later", Priority.DEFAULT, e -> ran.add("later on " + Thread.currentThread().getName()));
        Thread panicker = new Thread(() -> m.panic("hang", null), "panicker");
        panicker.start();
        await("the panic timer to finish the panic", m::finished);
        assertThat(ran).containsExactly("dump 1 on pstore-panic-timer", "dump 2 on pstore-panic-timer",
                "later on pstore-panic-timer");
        assertThat(console.lines()).contains("notifier hung timed out");
        assertThat(panicker.isAlive()).isTrue();
        release.countDown();
        join(panicker);
        assertThat(hungRuns).hasValue(1);
        assertThat(ran).hasSize(3);
    }

    @Test
    void aHungConsoleDoesNotCostTheDump() throws Exception {
        PanicMachine m = new PanicMachine(continuing().notifierTimeout(Duration.ofMillis(200)).build());
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> blocked = new AtomicReference<>();
        m.console(line -> {
            if (blocked.compareAndSet(null, Thread.currentThread())) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        m.arm();
        List<String> ran = new CopyOnWriteArrayList<>();
        m.registerDumper("d", DumpReason.PANIC, (r, revision, e) -> ran.add(Thread.currentThread().getName() + " " + revision));
        Thread panicker = new Thread(() -> m.panic("console hangs", null), "panicker");
        panicker.start();
        await("the panic timer to finish the panic", m::finished);
        assertThat(ran).containsExactly("pstore-panic-timer 1", "pstore-panic-timer 2");
        assertThat(console.lines()).isEmpty(); // the hung console held the printer: the rest was left out
        release.countDown();
        join(panicker);
    }

    @Test
    void registeringDuringAPanicIsTooLate() {
        PanicMachine m = machine(console);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        m.registerNotifier("registers", Priority.DEFAULT, e -> {
            try {
                m.registerNotifier("late", Priority.DEFAULT, x -> { });
            } catch (IllegalStateException expected) {
                failure.set(expected);
            }
        });
        m.panic("p", null);
        assertThat(failure.get()).hasMessage("panic in progress: notifier late registered too late");
    }

    @Test
    void aThrowingConsoleDoesNotStopTheDump() {
        PanicMachine m = new PanicMachine(continuing().build());
        m.console(line -> {
            throw new IllegalStateException("console broken");
        });
        AtomicInteger dumps = new AtomicInteger();
        m.registerDumper("d", DumpReason.PANIC, (r, revision, e) -> {
            if (revision != Dumper.FULL) {
                dumps.incrementAndGet();
            }
        });
        m.panic("p", new RuntimeException("cause"));
        assertThat(dumps).hasValue(1);
        assertThat(m.finished()).isTrue();
    }

    @Test
    void theEventDescribesThePanic() {
        PanicMachine m = machine(console);
        AtomicReference<String> seen = new AtomicReference<>();
        RuntimeException cause = new RuntimeException("why");
        long before = System.currentTimeMillis();
        m.registerDumper("d", DumpReason.PANIC, (r, revision, e) -> seen.set(e.reason() + " " + e.message() + " "
                + (e.cause() == cause) + " " + (e.thread() == Thread.currentThread()) + " "
                + (e.wallMillis() >= before) + " " + (e.startNanos() != 0)));
        m.panic("described", cause);
        assertThat(seen.get()).isEqualTo("PANIC described true true true true");
        assertThat(m.owner()).isSameAs(Thread.currentThread());
    }

    @Test
    void armIsIdempotentReservesHeapAndPanicReleasesIt() {
        PanicMachine m = new PanicMachine(continuing().heapReserveBytes(64 * 1024).build());
        m.arm();
        m.arm();
        assertThat(m.heapReserved()).isEqualTo(64 * 1024);
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(m::isTimer).count()).isEqualTo(1);
        m.panic("release", null);
        assertThat(m.heapReserved()).isZero();
    }

    @Test
    void aHeapHungryPartThatRunsOutOfMemoryIsTriedAgainAfterACollection() {
        AtomicInteger attempts = new AtomicInteger();
        ThrowableReader scarce = new ThrowableReader() {
            @Override
            public StackTraceElement[] frames(Throwable t) {
                if (attempts.incrementAndGet() == 1) {
                    throw new OutOfMemoryError("simulated: no heap for the stack trace");
                }
                return t.getStackTrace();
            }

            @Override
            public Throwable[] suppressed(Throwable t) {
                return t.getSuppressed();
            }
        };
        PanicMachine m = new PanicMachine(continuing().heapReserveBytes(64 * 1024).build(), scarce, false, null);
        m.console(console);
        m.arm();
        attempts.set(0);
        m.panic("scarce", new IllegalStateException("x"));
        assertThat(attempts).hasValue(2);
        assertThat(console.lines()).contains("Stack trace: java.lang.IllegalStateException: x")
                .noneMatch(l -> l.contains(" lost: "));
    }

    @Test
    void aHeapHungryPartThatStillFailsIsNamedAsLostAndTheRestGoesOn() {
        ThrowableReader never = new ThrowableReader() {
            @Override
            public StackTraceElement[] frames(Throwable t) {
                throw new OutOfMemoryError("simulated: never any heap");
            }

            @Override
            public Throwable[] suppressed(Throwable t) {
                return new Throwable[0];
            }
        };
        List<String> dumps = new CopyOnWriteArrayList<>();
        PanicMachine m = new PanicMachine(continuing().build(), never, true, null);
        m.console(console);
        m.registerDumper("d", DumpReason.PANIC, (r, revision, e) -> dumps.add("dump " + revision));
        m.arm();
        m.panic("starved", new IllegalStateException("x"));
        assertThat(console.lines()).contains("Cause: java.lang.IllegalStateException: x",
                "    [stack trace lost: java.lang.OutOfMemoryError: simulated: never any heap]")
                .anyMatch(l -> l.matches("Threads: \\d+ live"))
                .last().isEqualTo("---[ end JVM panic - not syncing: starved ]---");
        assertThat(dumps).containsExactly("dump 1", "dump 2");
    }

    @Test
    void theTimerThreadIsADaemonNamedForThePanic() {
        PanicMachine m = machine(console);
        m.arm();
        Thread timer = Thread.getAllStackTraces().keySet().stream().filter(m::isTimer).findFirst().orElseThrow();
        assertThat(timer.getName()).isEqualTo("pstore-panic-timer");
        assertThat(timer.isDaemon()).isTrue();
    }
}
