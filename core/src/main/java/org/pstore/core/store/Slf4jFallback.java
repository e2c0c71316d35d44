package org.pstore.core.store;

import java.io.IOException;
import java.lang.reflect.Field;

/**
 * Chronicle logs through SLF4J, so an application without an SLF4J binding would get SLF4J's three-line
 * "no binding" warning on its stderr the moment pstore boots: noise a library must not add. When, and only
 * when, the class path holds no binding at all (neither a 1.x {@code StaticLoggerBinder} nor a 2.x provider,
 * and no {@code slf4j.provider} property), SLF4J is put into the state it would reach by itself, its no-op
 * fallback, without the warning: SLF4J's own {@code LoggerFactory.INITIALIZATION_STATE}, the same field and
 * value in 1.7 and 2.x. An application with its own binding (Logback, slf4j-simple, SLF4J 2.x) is left alone.
 */
final class Slf4jFallback {
    private static final String FACTORY = "org.slf4j.LoggerFactory";
    private static final String BINDING_1X = "org/slf4j/impl/StaticLoggerBinder.class";
    private static final String PROVIDERS_2X = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

    private Slf4jFallback() {
    }

    /** Before the first Chronicle class loads. Does nothing when SLF4J is absent, bound, or already in use. */
    static void quietWhenUnbound(ClassLoader loader) {
        Class<?> factory;
        try {
            factory = Class.forName(FACTORY, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        if (bound(loader)) {
            return;
        }
        try {
            Field state = factory.getDeclaredField("INITIALIZATION_STATE");
            Field nop = factory.getDeclaredField("NOP_FALLBACK_INITIALIZATION");
            state.setAccessible(true);
            nop.setAccessible(true);
            synchronized (factory) { // SLF4J initialises under this monitor
                if (state.getInt(null) == 0) { // UNINITIALIZED: nobody has asked SLF4J for a logger yet
                    state.setInt(null, nop.getInt(null));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another SLF4J than 1.7/2.x, or a module that does not open it: it warns as it always did
        }
    }

    private static boolean bound(ClassLoader loader) {
        if (System.getProperty("slf4j.provider") != null || loader.getResource(BINDING_1X) != null) {
            return true;
        }
        try {
            return loader.getResources(PROVIDERS_2X).hasMoreElements();
        } catch (IOException e) {
            return true; // cannot tell: leave SLF4J to decide
        }
    }
}
