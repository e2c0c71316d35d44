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
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(original);
            Watchdog.of(m).stop();
            join(Watchdog.of(m).thread());
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
}
