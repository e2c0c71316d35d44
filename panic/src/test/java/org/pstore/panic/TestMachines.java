package org.pstore.panic;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Settings and waits shared by the tests. No timed assertions: waits only guard against hangs. */
public final class TestMachines {
    /** How long a test waits for something that should happen before declaring a hang. */
    public static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private TestMachines() {
    }

    /**
     * CONTINUE, no heap reserve (many machines share the test JVM), and timeouts so long that a loaded
     * machine never triggers a takeover; the takeover tests set their own.
     */
    public static PanicSettings.Builder continuing() {
        return PanicSettings.builder().action(PanicAction.CONTINUE).heapReserveBytes(0)
                .timeout(Duration.ofHours(1)).notifierTimeout(Duration.ofHours(1));
    }

    public static PanicMachine machine(PanicConsole console) {
        PanicMachine machine = new PanicMachine(continuing().build());
        machine.console(console);
        return machine;
    }

    /** Waits until the condition holds; fails if it does not within the hang guard. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("hang guard: still waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    public static void join(Thread thread) throws InterruptedException {
        thread.join(HANG_GUARD.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("hang guard: thread " + thread.getName() + " did not end");
        }
    }
}
