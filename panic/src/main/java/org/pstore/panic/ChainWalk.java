package org.pstore.panic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One walk of the notifier chain, shared by the owner and, after a takeover, the panic timer.
 *
 * <p>The cursor packs (walker, next index). A walker claims an index by CAS, so no notifier runs twice;
 * claiming the index one past the end makes that walker the one that finishes the panic. The timer takes
 * over by a CAS that changes only the walker, and only if the owner has not moved past the step the timer
 * saw hanging: from then on the owner's claims fail and it stops, so the hung notifier is the only one
 * skipped. No lock, no allocation.
 */
final class ChainWalk {
    static final int OWNER = 0;
    static final int TIMER = 1;

    /** Walk results. */
    static final int END = -1;
    static final int STOLEN = -2;
    static final int OVERDUE = -3;

    /** Owner steps besides notifier indexes. */
    static final int NO_STEP = -1;
    static final int REPORT_STEP = -2;

    private static final NotifierChain.Entry[] EMPTY = new NotifierChain.Entry[0];

    private final AtomicLong cursor = new AtomicLong();
    private volatile NotifierChain.Entry[] chain = EMPTY;
    private volatile int step = NO_STEP;
    private volatile long stepStart;
    /** The owner step the timer took over from, or NO_STEP. */
    private volatile int abandoned = NO_STEP;

    void begin(NotifierChain.Entry[] entries) {
        chain = entries;
        step = NO_STEP;
        abandoned = NO_STEP;
        cursor.set(pack(OWNER, 0));
    }

    /** The owner publishes what it is doing, for the timer to watch. */
    void enter(int ownerStep) {
        step = NO_STEP;
        stepStart = System.nanoTime();
        step = ownerStep;
    }

    void leave() {
        step = NO_STEP;
    }

    int step() {
        return step;
    }

    long stepStart() {
        return stepStart;
    }

    String nameOf(int index) {
        NotifierChain.Entry[] c = chain;
        return index >= 0 && index < c.length ? c[index].name : "?";
    }

    /** The timer's takeover, valid only while the owner is still in {@code hungStep}. */
    boolean takeOver(int hungStep) {
        int next = hungStep == REPORT_STEP ? 0 : hungStep + 1;
        if (!cursor.compareAndSet(pack(OWNER, next), pack(TIMER, next))) {
            return false;
        }
        abandoned = hungStep;
        return true;
    }

    /** Whether the owner was left behind inside the early report (it may still be using the report's buffers). */
    boolean ownerStuckInReport() {
        return abandoned == REPORT_STEP;
    }

    /**
     * Runs notifiers as {@code walker} until the chain ends ({@link #END}: this walker finishes the panic),
     * another walker took over ({@link #STOLEN}) or the deadline passed ({@link #OVERDUE}).
     */
    int walk(int walker, PanicEvent event, PanicConsole console, Voice voice, boolean hasDeadline, long deadline) {
        NotifierChain.Entry[] c = chain;
        for (;;) {
            if (hasDeadline && System.nanoTime() - deadline >= 0) {
                return OVERDUE;
            }
            long v = cursor.get();
            int index = (int) v;
            if ((int) (v >>> 32) != walker || index > c.length) {
                return STOLEN;
            }
            if (!cursor.compareAndSet(v, v + 1)) {
                continue;
            }
            if (index == c.length) {
                return END;
            }
            NotifierChain.Entry entry = c[index];
            if (walker == OWNER) {
                enter(index);
            }
            try {
                entry.notifier.onPanic(event);
            } catch (Throwable t) {
                voice.failed(console, "notifier ", entry.name, t);
            }
            if (walker == OWNER) {
                leave();
            }
        }
    }

    private static long pack(int walker, int index) {
        return ((long) walker << 32) | index;
    }
}
