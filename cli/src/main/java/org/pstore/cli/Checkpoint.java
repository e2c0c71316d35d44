package org.pstore.cli;

/**
 * Named points in the commands that write (export with a cursor, archive) where a crash test kills the
 * process: run with {@code -Dpstore.test.checkpoint=NAME} (or {@code NAME:N}, the N-th time it is reached),
 * the CLI prints {@code checkpoint NAME} on stderr there and waits to be killed. Without the property it
 * does nothing.
 */
public final class Checkpoint {
    static final String PROPERTY = "pstore.test.checkpoint";
    private static final String WANTED = System.getProperty(PROPERTY);
    private static int reached;

    private Checkpoint() {
    }

    public static void reached(String name) {
        if (WANTED == null) {
            return;
        }
        int colon = WANTED.lastIndexOf(':');
        String at = colon < 0 ? WANTED : WANTED.substring(0, colon);
        int times = colon < 0 ? 1 : Integer.parseInt(WANTED.substring(colon + 1));
        if (!at.equals(name) || ++reached != times) {
            return;
        }
        System.err.println("checkpoint " + name);
        System.err.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
