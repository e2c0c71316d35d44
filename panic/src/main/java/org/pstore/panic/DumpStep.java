package org.pstore.panic;

/**
 * The kmsg dump step of the notifier chain, at {@link Priority#DUMP}: runs every dumper allowed for a
 * panic. It may run on the owner or, after a takeover, on the panic timer: it speaks with that thread's voice.
 */
final class DumpStep implements PanicNotifier {
    static final String NAME = "kmsg_dump";

    private final PanicMachine machine;
    private final DumperRegistry dumpers;

    DumpStep(PanicMachine machine, DumperRegistry dumpers) {
        this.machine = machine;
        this.dumpers = dumpers;
    }

    @Override
    public void onPanic(PanicEvent event) {
        dumpers.dump(DumpReason.PANIC, event, machine.console(), machine.voiceOf(Thread.currentThread()), null);
    }
}
