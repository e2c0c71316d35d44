package org.pstore.panic.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.pstore.panic.TestMachines.join;
import static org.pstore.panic.TestMachines.machine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicMachine;
import org.pstore.panic.RecordingConsole;

class UncaughtPanicHandlerTest {
    private final RecordingConsole console = new RecordingConsole();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void virtualMachineErrorsPanicInAnyThreadEvenWhenWrapped() {
        Thread worker = new Thread(() -> { }, "worker");
        assertThat(UncaughtPanicHandler.panicReason(worker, new OutOfMemoryError("heap")))
                .isEqualTo(UncaughtPanicHandler.VM_ERROR);
        assertThat(UncaughtPanicHandler.panicReason(worker, new StackOverflowError()))
                .isEqualTo(UncaughtPanicHandler.VM_ERROR);
        assertThat(UncaughtPanicHandler.panicReason(worker, new RuntimeException(new OutOfMemoryError())))
                .isEqualTo(UncaughtPanicHandler.VM_ERROR);
    }

    @Test
    void theMainThreadAndCriticalThreadsPanicOthersOops() {
        Thread main = new Thread(() -> { }, "main");
        Thread critical = new Thread(() -> { }, "critical");
        CriticalThreads.mark(critical);
        Thread worker = new Thread(() -> { }, "worker");
        RuntimeException e = new RuntimeException("x");
        assertThat(UncaughtPanicHandler.panicReason(main, e)).isEqualTo(UncaughtPanicHandler.MAIN);
        assertThat(UncaughtPanicHandler.panicReason(critical, e)).isEqualTo(UncaughtPanicHandler.CRITICAL);
        assertThat(UncaughtPanicHandler.panicReason(worker, e)).isNull();
    }

    @Test
    void anUncaughtExceptionInAWorkerIsAnOopsThenThePreviousHandlerRuns() throws Exception {
        PanicMachine m = recordingMachine();
        UncaughtPanicHandler handler = new UncaughtPanicHandler(m, (t, e) -> events.add("previous " + t.getName()));
        Thread worker = new Thread(() -> {
            throw new IllegalStateException("worker failed");
        }, "worker");
        worker.setUncaughtExceptionHandler(handler);
        worker.start();
        join(worker);
        assertThat(events).containsExactly("oops uncaught exception worker", "previous worker");
        assertThat(m.panicking()).isFalse();
        assertThat(console.lines()).contains("Oops: uncaught exception",
                "Cause: java.lang.IllegalStateException: worker failed");
        assertThat(console.lines().get(3)).startsWith("Thread: \"worker\"");
    }

    @Test
    void anUncaughtOutOfMemoryErrorPanics() throws Exception {
        PanicMachine m = recordingMachine();
        UncaughtPanicHandler handler = new UncaughtPanicHandler(m, null);
        Thread worker = new Thread(() -> {
            throw new OutOfMemoryError("simulated");
        }, "worker");
        worker.setUncaughtExceptionHandler(handler);
        worker.start();
        join(worker);
        assertThat(events).containsExactly("panic uncaught virtual machine error worker");
        assertThat(m.panicking()).isTrue();
        assertThat(m.owner()).isSameAs(worker);
        assertThat(console.lines()).contains("Cause: java.lang.OutOfMemoryError: simulated");
    }

    @Test
    void theHandlerNeverThrows() {
        PanicMachine m = recordingMachine();
        m.console(line -> {
            throw new IllegalStateException("console broken");
        });
        UncaughtPanicHandler handler = new UncaughtPanicHandler(m, (t, e) -> {
            throw new IllegalStateException("previous handler broken");
        });
        // called directly, so the event's thread is this test's thread, whatever thread is passed
        String me = Thread.currentThread().getName();
        assertThatCode(() -> handler.uncaughtException(new Thread("worker"), new RuntimeException("x")))
                .doesNotThrowAnyException();
        assertThatCode(() -> handler.uncaughtException(new Thread("main"), new RuntimeException("x")))
                .doesNotThrowAnyException();
        assertThat(events).containsExactly("oops uncaught exception " + me,
                "panic uncaught exception in main thread " + me);
    }

    private PanicMachine recordingMachine() {
        PanicMachine m = machine(console);
        m.registerDumper("record", DumpReason.OOPS,
                (reason, revision, event) -> {
                    if (revision != org.pstore.panic.Dumper.FULL) {
                        events.add(reason.word() + " " + event.message() + " " + event.thread().getName());
                    }
                });
        return m;
    }

    @Test
    void anApplicationHandlerThatCallsTheOneItReplacedRecordsTheCrashOnce() throws Exception {
        PanicMachine m = recordingMachine();
        UncaughtPanicHandler first = new UncaughtPanicHandler(m, null);
        Thread.UncaughtExceptionHandler application = (t, e) -> {
            events.add("application " + t.getName());
            first.uncaughtException(t, e); // a crash reporter that chains the handler it found: pstore's
        };
        UncaughtPanicHandler onTop = new UncaughtPanicHandler(m, application);
        for (int round = 0; round < 2; round++) { // the slot is given back: the next crash is recorded again
            Thread worker = new Thread(() -> {
                throw new IllegalStateException("worker failed");
            }, "worker-" + round);
            worker.setUncaughtExceptionHandler(onTop);
            worker.start();
            join(worker);
        }
        assertThat(events).containsExactly("oops uncaught exception worker-0", "application worker-0",
                "oops uncaught exception worker-1", "application worker-1");
    }
}
