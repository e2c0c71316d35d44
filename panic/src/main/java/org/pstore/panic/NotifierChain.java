package org.pstore.panic;

/**
 * The registered notifiers in the order they run: priority descending, registration order among equals.
 * Copy-on-write: registration (at boot) copies the array, the panic path only reads it.
 */
final class NotifierChain {
    /** One registered notifier. */
    static final class Entry {
        final String name;
        final int priority;
        final PanicNotifier notifier;

        Entry(String name, int priority, PanicNotifier notifier) {
            this.name = name;
            this.priority = priority;
            this.notifier = notifier;
        }
    }

    private static final Entry[] EMPTY = new Entry[0];

    private volatile Entry[] entries = EMPTY;

    synchronized void register(String name, int priority, PanicNotifier notifier) {
        Entry[] old = entries;
        int at = 0;
        while (at < old.length && old[at].priority >= priority) {
            at++;
        }
        Entry[] grown = new Entry[old.length + 1];
        System.arraycopy(old, 0, grown, 0, at);
        grown[at] = new Entry(name, priority, notifier);
        System.arraycopy(old, at, grown, at + 1, old.length - at);
        entries = grown;
    }

    Entry[] entries() {
        return entries;
    }
}
