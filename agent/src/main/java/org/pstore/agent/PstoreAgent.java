package org.pstore.agent;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * The Java agent's entry points: {@code -javaagent:pstore-agent.jar[=key=value,...]} ({@link #premain}) and
 * {@code bin/pstore attach PID} ({@link #agentmain}). This class and {@link BundleLoader} are all the agent
 * puts on the application's class path; pstore, Chronicle Queue, SLF4J and ASM stay inside the jar, loaded
 * by the agent's own class loader, so the application's libraries (its own SLF4J, Logback, Log4j2, even
 * Chronicle or pstore) are exactly what they were. JDK classes only here: nothing of the bundle leaks.
 */
public final class PstoreAgent {
    /** The class inside the bundle that arms pstore: {@code start(Instrumentation, String options, boolean attached)}. */
    static final String ARMING = "org.pstore.agent.arming.Arming";
    private static volatile BundleLoader bundle;

    private PstoreAgent() {
    }

    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, true);
    }

    /** Never throws: an agent that cannot arm says so in one line and lets the application run. */
    private static void start(String options, Instrumentation inst, boolean attached) {
        PrintStream err = System.err;
        try {
            BundleLoader loader = bundle();
            Class<?> arming = Class.forName(ARMING, true, loader);
            arming.getMethod("start", Instrumentation.class, String.class, boolean.class).invoke(null, inst, options, attached);
        } catch (InvocationTargetException e) {
            err.println("pstore: the agent could not arm: " + oneLine(e.getCause()) + "; the application runs without pstore");
        } catch (Throwable t) {
            err.println("pstore: the agent could not load: " + oneLine(t) + "; the application runs without pstore");
        }
    }

    /** The bundle's loader: one per JVM, however often the agent is attached. */
    private static synchronized BundleLoader bundle() throws java.io.IOException {
        if (bundle == null) {
            bundle = BundleLoader.open(jar());
        }
        return bundle;
    }

    static Path jar() {
        try {
            return Path.of(PstoreAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot locate the agent jar: " + e, e);
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.getClass().getName() : m).replace('\n', ' ');
    }
}
