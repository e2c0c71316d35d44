package org.pstore.panic;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** The process-wide machine, used by the triggers and by code that just calls {@code Panic.panic(...)}. */
public final class Panic {
    private static final AtomicReference<PanicMachine> MACHINE = new AtomicReference<>();

    private Panic() {
    }

    /** The installed machine; lazily one with {@link PanicSettings#defaults()} if none was installed. */
    public static PanicMachine machine() {
        PanicMachine m = MACHINE.get();
        if (m == null) {
            MACHINE.compareAndSet(null, new PanicMachine(PanicSettings.defaults()));
            m = MACHINE.get();
        }
        return m;
    }

    /** The first install wins; later calls return the installed machine (boot may run twice). */
    public static PanicMachine install(PanicMachine machine) {
        Objects.requireNonNull(machine, "machine");
        MACHINE.compareAndSet(null, machine);
        return MACHINE.get();
    }

    public static void panic(String message, Throwable cause) {
        machine().panic(message, cause);
    }

    public static void oops(String message, Throwable cause) {
        machine().oops(message, cause);
    }
}
