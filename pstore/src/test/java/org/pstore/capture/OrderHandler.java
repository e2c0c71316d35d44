package org.pstore.capture;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * What the capture tests behind an async front end log: three accepted orders and a refusal with its
 * throwable, on a thread of its own, so that a line naming the framework's worker thread shows.
 */
public final class OrderHandler {
    public static final String THREAD = "order-handler";

    private OrderHandler() {
    }

    /** Logs the orders through {@code accepted} ("order {} accepted") and the refusal through {@code refused}, on {@link #THREAD}. */
    public static void run(IntConsumer accepted, Consumer<Throwable> refused) throws InterruptedException {
        Thread handler = new Thread(() -> {
            for (int i = 1; i <= 3; i++) {
                accepted.accept(i);
            }
            refused.accept(new IllegalStateException("stock ran out"));
        }, THREAD);
        handler.start();
        handler.join();
    }

    /** The first lines the ring must hold, each event's time taken off (see {@link #withoutTime}). */
    public static List<String> expected(String logger) {
        String prefix = "[" + THREAD + "] ";
        return List.of(prefix + "INFO " + logger + ": order 1 accepted", prefix + "INFO " + logger + ": order 2 accepted",
                prefix + "INFO " + logger + ": order 3 accepted", prefix + "ERROR " + logger + ": refused",
                "java.lang.IllegalStateException: stock ran out");
    }

    /** A captured line without the event's time it starts with, if it is an event's first line. */
    public static String withoutTime(String line) {
        return line.replaceFirst("^\\d{4}-\\d\\d-\\d\\dT\\S+Z ", "");
    }
}
