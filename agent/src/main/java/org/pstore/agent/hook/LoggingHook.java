package org.pstore.agent.hook;

import java.util.function.Consumer;

/**
 * The agent rewrites the constructors of Logback's and Log4j2's {@code LoggerContext} to end with a call to
 * {@link #created(Object)}, which hands the new context to the agent, in whichever loader the application
 * keeps its logging library (every usual loader reaches the system class path, where this class is).
 * JDK types only.
 */
public final class LoggingHook {
    /** Set by the agent before it rewrites anything; takes the new LoggerContext. */
    public static volatile Consumer<Object> created;

    private LoggingHook() {
    }

    /** Called at the end of a LoggerContext constructor. Never throws into it. */
    public static void created(Object context) {
        Consumer<Object> c = created;
        if (c != null) {
            try {
                c.accept(context);
            } catch (Throwable t) {
                // the application's logging must come up whatever happens to pstore's capture
            }
        }
    }
}
