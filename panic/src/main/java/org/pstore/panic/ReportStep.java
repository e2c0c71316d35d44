package org.pstore.panic;

/**
 * The heap-hungry rest of the panic report, as a step of the notifier chain between the two dumps: the
 * cause's stack trace, deadlocks and the thread dump. A step, so that the panic timer leaves it behind when
 * it hangs and the full dump still runs.
 */
final class ReportStep implements PanicNotifier {
    static final String NAME = "panic_report";

    private final PanicMachine machine;

    ReportStep(PanicMachine machine) {
        this.machine = machine;
    }

    @Override
    public void onPanic(PanicEvent event) {
        machine.printRest(event);
    }
}
