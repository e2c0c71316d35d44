package org.pstore.panic;

/**
 * A kmsg dump step of the notifier chain: runs every dumper allowed for a panic, for one revision (the
 * early one at {@link Priority#DUMP}, the full one at {@link Priority#DUMP_FULL}). It may run on the owner
 * or, after a takeover, on the panic timer: it speaks with that thread's voice.
 */
final class DumpStep implements PanicNotifier {
    static final String EARLY = "kmsg_dump";
    static final String FULL = "kmsg_dump_full";

    private final PanicMachine machine;
    private final DumperRegistry dumpers;
    private final int revision;

    DumpStep(PanicMachine machine, DumperRegistry dumpers, int revision) {
        this.machine = machine;
        this.dumpers = dumpers;
        this.revision = revision;
    }

    @Override
    public void onPanic(PanicEvent event) {
        dumpers.dump(DumpReason.PANIC, revision, event, machine.console(), machine.voiceOf(Thread.currentThread()), null);
    }
}
