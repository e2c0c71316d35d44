package org.pstore.panic;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * What {@link PanicMachine#arm()} runs so that the panic path meets no first time at panic time, on scratch
 * machines that print nowhere: a whole CONTINUE panic (with a nested panic, a failing notifier and a failing
 * dumper), an oops and a dump; a panic whose every heap-hungry part fails (the lines that name what was
 * lost); and the panic timer's takeovers, of a hung report and of a hung notifier. Constant pools (a string
 * literal is made the first time its code runs), class initialization, lambdas and JDK paths are shared
 * with the real machine, so they are all resolved afterwards.
 */
final class WarmUp {
    private static final PrintStream NO_ECHO = new PrintStream(OutputStream.nullOutputStream());
    private static final long HANG_NANOS = 5_000_000L;

    private WarmUp() {
    }

    static void run(PanicSettings settings, ThrowableReader reader, boolean threadDump, JvmFacts facts) {
        PanicSettings continuing = settings.toBuilder().action(PanicAction.CONTINUE).heapReserveBytes(0).build();
        PanicMachine scratch = new PanicMachine(continuing, reader, threadDump, NO_ECHO);
        scratch.useFacts(facts);
        scratch.registerNotifier("warm-up nested", Priority.DEFAULT, e -> scratch.panic("warm-up nested", null));
        scratch.registerNotifier("warm-up failing", Priority.DEFAULT, e -> {
            throw new IllegalStateException("warm-up");
        });
        scratch.registerDumper("warm-up", DumpReason.SHUTDOWN, (reason, revision, e) -> { });
        scratch.registerDumper("warm-up failing", DumpReason.SHUTDOWN, (reason, revision, e) -> {
            throw new IllegalStateException("warm-up");
        });
        IllegalStateException cause = new IllegalStateException("warm-up", new RuntimeException("warm-up cause"));
        cause.addSuppressed(new RuntimeException("warm-up suppressed"));
        scratch.oops("warm-up", cause);
        scratch.dump(DumpReason.EMERG, "warm-up", null);
        scratch.panic("warm-up", cause);
        scratch.panic("warm-up after", null);
        scratch.oops("warm-up after", null);
        if (threadDump) {
            starved(continuing, facts, cause);
        }
        takeOvers(continuing, reader, facts);
    }

    /** A panic with no heap for anything heap-hungry: each part is named as lost, as at an exhausted heap. */
    private static void starved(PanicSettings continuing, JvmFacts facts, Throwable cause) {
        PanicMachine starved = new PanicMachine(continuing, new Starved(), true, NO_ECHO);
        starved.useFacts(facts.withThreads(starvedThreads()));
        starved.panic("warm-up starved", cause);
    }

    /** The panic timer leaves a hung report, then a hung notifier, behind and finishes each panic itself. */
    private static void takeOvers(PanicSettings continuing, ThrowableReader reader, JvmFacts facts) {
        PanicSettings quick = continuing.toBuilder().notifierTimeout(Duration.ofNanos(HANG_NANOS / 5))
                .timeout(Duration.ofSeconds(5)).build();
        PanicMachine hungReport = new PanicMachine(quick, reader, false, NO_ECHO);
        hungReport.useFacts(facts);
        boolean[] hungOnce = {false};
        hungReport.console(line -> {
            if (!hungOnce[0]) {
                hungOnce[0] = true;
                LockSupport.parkNanos(HANG_NANOS);
            }
        });
        hungReport.armScratch();
        hungReport.panic("warm-up hung report", null);
        PanicMachine hungNotifier = new PanicMachine(quick, reader, false, NO_ECHO);
        hungNotifier.useFacts(facts);
        hungNotifier.registerNotifier("warm-up hung", Priority.DEFAULT, e -> LockSupport.parkNanos(HANG_NANOS));
        hungNotifier.registerNotifier("warm-up after the hung", Priority.DEFAULT - 1, e -> { });
        hungNotifier.armScratch();
        hungNotifier.panic("warm-up hung notifier", null);
    }

    /** A thread MXBean every call of which fails as with an exhausted heap, but the list of threads. */
    private static ThreadMXBean starvedThreads() {
        long[] ids = {Thread.currentThread().getId()};
        return (ThreadMXBean) Proxy.newProxyInstance(WarmUp.class.getClassLoader(), new Class<?>[] {ThreadMXBean.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getAllThreadIds":
                            return ids;
                        case "isObjectMonitorUsageSupported":
                        case "isSynchronizerUsageSupported":
                            return Boolean.TRUE;
                        case "hashCode":
                            return 0;
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "starved";
                        default:
                            throw new OutOfMemoryError("warm-up: no heap");
                    }
                });
    }

    /** A throwable reader with no heap. */
    static final class Starved implements ThrowableReader {
        @Override
        public StackTraceElement[] frames(Throwable t) {
            throw new OutOfMemoryError("warm-up: no heap");
        }

        @Override
        public Throwable[] suppressed(Throwable t) {
            throw new OutOfMemoryError("warm-up: no heap");
        }
    }
}
