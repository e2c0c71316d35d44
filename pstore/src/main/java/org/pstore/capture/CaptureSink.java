package org.pstore.capture;

/**
 * Where the logging integrations send their lines: the capture ring of the pstore running in this JVM,
 * and the nudge that wakes its console journal. Boot attaches it; the Java agent attaches it before the
 * store is open, so lines logged while the store opens are in the ring (and reach the journal once it
 * starts). Until something attaches, lines are dropped: an integration configured in an application that
 * never booted pstore costs one volatile read per event.
 */
public final class CaptureSink {
    private static final Runnable NO_NUDGE = () -> { };
    private static volatile CaptureRing ring;
    private static volatile Runnable nudge = NO_NUDGE;

    private CaptureSink() {
    }

    /** Sends lines to {@code ring}; {@code nudge} (the journal's) runs after each event. */
    public static void attach(CaptureRing ring, Runnable nudge) {
        CaptureSink.nudge = nudge == null ? NO_NUDGE : nudge;
        CaptureSink.ring = ring;
    }

    /** Lines are dropped from now on (an agent that could not arm). */
    public static void detach() {
        ring = null;
        nudge = NO_NUDGE;
    }

    /** The ring lines go to, or null. */
    public static CaptureRing ring() {
        return ring;
    }

    /** Whether a ring is attached: integrations skip their formatting work when it is not. */
    public static boolean attached() {
        return ring != null;
    }

    /** Appends {@code text} (one line per {@code \n}-separated piece) to the ring. Lock-free, allocation-free. */
    public static void println(CharSequence text) {
        CaptureRing r = ring;
        if (r != null) {
            r.println(text);
        }
    }

    /** Appends an event's line (one ring line per newline-separated piece). Lock-free, allocation-free. */
    public static void println(CaptureLine line) {
        CaptureRing r = ring;
        if (r != null) {
            line.printTo(r);
        }
    }

    /** Wakes the console journal: once per event, after its lines. */
    public static void nudge() {
        nudge.run();
    }
}
