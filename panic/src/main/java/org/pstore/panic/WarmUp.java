package org.pstore.panic;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What {@link PanicMachine#arm()} runs so that the panic path meets no first time at panic time: a whole
 * CONTINUE panic (with a nested panic, a failing notifier and a failing dumper), an oops and a dump on a
 * scratch machine that prints nowhere. Constant pools, class initialization, lambdas and JDK paths are
 * shared with the real machine, so they are all resolved afterwards.
 */
final class WarmUp {
    private static final PrintStream NO_ECHO = new PrintStream(OutputStream.nullOutputStream());

    private WarmUp() {
    }

    static void run(PanicSettings settings, ThrowableReader reader, boolean threadDump, JvmFacts facts) {
        PanicMachine scratch = new PanicMachine(
                settings.toBuilder().action(PanicAction.CONTINUE).heapReserveBytes(0).build(), reader, threadDump,
                NO_ECHO);
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
    }
}
