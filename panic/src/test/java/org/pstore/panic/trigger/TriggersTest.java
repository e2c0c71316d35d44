package org.pstore.panic.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pstore.panic.TestMachines.join;
import static org.pstore.panic.TestMachines.machine;

import org.junit.jupiter.api.Test;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.RecordingConsole;

class TriggersTest {

    @Test
    void installingTwiceInstallsOnceAndChainsToThePreviousDefaultHandler() throws Exception {
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        Thread main = mainThread();
        Thread.UncaughtExceptionHandler mainBefore = main.getUncaughtExceptionHandler();
        PanicMachine m = machine(new RecordingConsole());
        try {
            Triggers.install(m);
            Thread.UncaughtExceptionHandler installed = Thread.getDefaultUncaughtExceptionHandler();
            Triggers.install(m);
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(installed);
            assertThat(installed).isInstanceOf(UncaughtPanicHandler.class);
            assertThat(((UncaughtPanicHandler) installed).machine()).isSameAs(m);
            assertThat(((UncaughtPanicHandler) installed).previous()).isSameAs(original);
            assertThat(Triggers.installed(m)).isTrue();
            assertThat(Watchdog.of(m).thread().isAlive()).isTrue();
            Thread.UncaughtExceptionHandler own = main.getUncaughtExceptionHandler();
            assertThat(own).as("the main thread's own handler").isInstanceOf(UncaughtPanicHandler.class);
            Thread.UncaughtExceptionHandler had = mainBefore instanceof UncaughtPanicHandler // an earlier test's machine: replaced
                    ? ((UncaughtPanicHandler) mainBefore).previous() : mainBefore;
            assertThat(((UncaughtPanicHandler) own).previous()).as("in front of what it had").isSameAs(had);
        } finally {
            main.setUncaughtExceptionHandler(mainBefore == main.getThreadGroup() ? null : mainBefore);
            restore(original, m);
        }
    }

    @Test
    void theShutdownHookDumpsUnlessAPanicStarted() {
        RecordingConsole console = new RecordingConsole();
        PanicMachine m = machine(console);
        java.util.List<String> dumps = new java.util.concurrent.CopyOnWriteArrayList<>();
        m.registerDumper("record", org.pstore.panic.DumpReason.SHUTDOWN,
                (reason, revision, event) -> {
                    if (revision != org.pstore.panic.Dumper.FULL) {
                        dumps.add(reason.word() + " " + event.message());
                    }
                });
        ShutdownDump hook = new ShutdownDump(m);
        assertThat(hook.hook().getName()).isEqualTo("pstore-shutdown");
        hook.run();
        assertThat(dumps).containsExactly("shutdown shutdown");
        m.panic("panicked", null);
        hook.run();
        assertThat(dumps).containsExactly("shutdown shutdown", "panic panicked");
    }

    @Test
    void aPanicThatBeginsWhileTheShutdownHookDumpsIsWaitedFor() throws Exception {
        PanicMachine m = machine(new RecordingConsole());
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        m.registerNotifier("slow", org.pstore.panic.Priority.REPORT - 1, event -> never.await(500,
                java.util.concurrent.TimeUnit.MILLISECONDS));
        Thread[] panicker = new Thread[1];
        m.registerDumper("starts a panic", org.pstore.panic.DumpReason.SHUTDOWN, (reason, revision, event) -> {
            if (reason == org.pstore.panic.DumpReason.SHUTDOWN && panicker[0] == null) {
                panicker[0] = new Thread(() -> m.panic("out of heap", new OutOfMemoryError("test")), "filler");
                panicker[0].start();
                while (!m.panicking()) {
                    Thread.onSpinWait();
                }
            }
        });
        new ShutdownDump(m).run();
        assertThat(m.finished()).as("the hook returned only once the panic that began during its dump ended")
                .isTrue();
        join(panicker[0]);
    }

    @Test
    void aDefaultHandlerTheApplicationSetsAfterwardsIsChainedUnderTheMachinesAtTheNextTick() throws Exception {
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        PanicMachine m = machine(new RecordingConsole());
        try {
            Triggers.install(m);
            Thread.UncaughtExceptionHandler application = (t, e) -> { };
            Thread.setDefaultUncaughtExceptionHandler(application);
            Watchdog.of(m).tick();
            Thread.UncaughtExceptionHandler now = Thread.getDefaultUncaughtExceptionHandler();
            assertThat(now).isInstanceOf(UncaughtPanicHandler.class);
            assertThat(((UncaughtPanicHandler) now).machine()).isSameAs(m);
            assertThat(((UncaughtPanicHandler) now).previous()).as("the application's, run after pstore's").isSameAs(application);
            Watchdog.of(m).tick();
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).as("left alone while it is on top").isSameAs(now);
            Thread.setDefaultUncaughtExceptionHandler(null);
            Watchdog.of(m).tick();
            assertThat(((UncaughtPanicHandler) Thread.getDefaultUncaughtExceptionHandler()).previous()).isNull();
        } finally {
            restore(original, m);
        }
    }

    @Test
    void aWatchdogWithoutTheTriggersLeavesTheDefaultHandlerAlone() throws Exception {
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        PanicMachine m = machine(new RecordingConsole());
        try {
            Thread.UncaughtExceptionHandler application = (t, e) -> { };
            Thread.setDefaultUncaughtExceptionHandler(application);
            Watchdog.of(m).tick();
            assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(application);
        } finally {
            restore(original, m);
        }
    }

    @Test
    void ofTwoMachinesOnlyTheOneInstalledLastPutsItsHandlerBack() throws Exception {
        Thread.UncaughtExceptionHandler original = Thread.getDefaultUncaughtExceptionHandler();
        PanicMachine earlier = machine(new RecordingConsole());
        PanicMachine later = machine(new RecordingConsole());
        try {
            Triggers.install(earlier);
            Triggers.install(later);
            Thread.setDefaultUncaughtExceptionHandler((t, e) -> { });
            for (int i = 0; i < 3; i++) {
                Watchdog.of(earlier).tick();
                Watchdog.of(later).tick();
            }
            Thread.UncaughtExceptionHandler now = Thread.getDefaultUncaughtExceptionHandler();
            assertThat(((UncaughtPanicHandler) now).machine()).isSameAs(later);
            assertThat(((UncaughtPanicHandler) now).previous()).as("one wrap, not one per tick")
                    .isNotInstanceOf(UncaughtPanicHandler.class);
        } finally {
            restore(original, earlier, later);
        }
    }

    /** The default handler as it was, and the machines' watchdogs stopped. */
    private static void restore(Thread.UncaughtExceptionHandler original, PanicMachine... machines) throws InterruptedException {
        Thread.setDefaultUncaughtExceptionHandler(original);
        for (PanicMachine m : machines) {
            Watchdog.of(m).stop();
            join(Watchdog.of(m).thread());
        }
    }

    private static Thread mainThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("main")).findFirst()
                .orElseThrow(() -> new AssertionError("no thread named main in this JVM"));
    }
}