package org.pstore.panic;

import java.util.function.BooleanSupplier;

/**
 * The kmsg dumpers (Linux {@code kmsg_dump}): each runs for a reason whose code is at most its maxReason
 * code, and one that throws does not stop the others. Copy-on-write like the notifier chain.
 */
final class DumperRegistry {
    /** One registered dumper. */
    static final class Entry {
        final String name;
        final DumpReason maxReason;
        final Dumper dumper;

        Entry(String name, DumpReason maxReason, Dumper dumper) {
            this.name = name;
            this.maxReason = maxReason;
            this.dumper = dumper;
        }
    }

    private static final Entry[] EMPTY = new Entry[0];

    private volatile Entry[] entries = EMPTY;

    synchronized void register(String name, DumpReason maxReason, Dumper dumper) {
        // as in Linux: an undefined max reason means the default, oops
        DumpReason max = maxReason == DumpReason.UNDEF ? DumpReason.OOPS : maxReason;
        Entry[] old = entries;
        Entry[] grown = new Entry[old.length + 1];
        System.arraycopy(old, 0, grown, 0, old.length);
        grown[old.length] = new Entry(name, max, dumper);
        entries = grown;
    }

    /**
     * Runs every dumper allowed for {@code reason}, each isolated.
     *
     * @param interrupted when it answers true no further dumper starts (an oops when a panic starts), or null
     */
    void dump(DumpReason reason, int revision, PanicEvent event, PanicConsole console, Voice voice,
              BooleanSupplier interrupted) {
        Entry[] all = entries;
        for (Entry entry : all) {
            if (interrupted != null && interrupted.getAsBoolean()) {
                return;
            }
            if (reason.code() > entry.maxReason.code()) {
                continue;
            }
            try {
                entry.dumper.dump(reason, revision, event);
            } catch (Throwable t) {
                voice.failed(console, "dumper ", entry.name, t);
            }
        }
    }
}
