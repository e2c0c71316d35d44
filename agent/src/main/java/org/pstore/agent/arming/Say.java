package org.pstore.agent.arming;

import java.io.PrintStream;

/**
 * The agent's only output: one line on the application's stderr, beginning {@code pstore:}, when it cannot
 * arm (nothing at all when it can). Printed on the stream the JVM started with, not through the tee.
 */
final class Say {
    static final String UNPROTECTED = "; the application runs without pstore";
    private static final PrintStream ERR = System.err;

    private Say() {
    }

    /** Set to the line when the agent could not arm, so that {@code bin/pstore attach} can say it too. */
    static final String FAILED = "org.pstore.failed";

    static void line(String text) {
        ERR.println("pstore: " + text.replace('\n', ' '));
        ERR.flush();
    }

    /** The agent could not arm: the line, also left where {@code bin/pstore attach} reads it. */
    static void failed(String text) {
        System.setProperty(FAILED, "pstore: " + text.replace('\n', ' '));
        line(text);
    }

    /**
     * A line made in advance, for when the heap is gone even for the words: written as bytes, it allocates
     * nothing.
     */
    static byte[] prepared(String text) {
        return ("pstore: " + text + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void prepared(byte[] line) {
        ERR.write(line, 0, line.length);
        ERR.flush();
    }

    /** A failure's message without the "pstore cannot boot: " its PstoreException begins with. */
    static String reason(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
        return m.startsWith("pstore cannot boot: ") ? m.substring("pstore cannot boot: ".length()) : m;
    }
}
