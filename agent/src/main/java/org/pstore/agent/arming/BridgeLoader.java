package org.pstore.agent.arming;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;

/**
 * Defines pstore's logging integrations beside the application's logging library: a child of the loader
 * that holds Logback or Log4j2, so the appender extends the application's own appender classes, while every
 * other pstore class (the capture sink, the ring) comes from the agent's bundle. One per library loader.
 */
final class BridgeLoader extends ClassLoader {
    private static final String[] OWN = {"org.pstore.capture.logback.", "org.pstore.capture.log4j2."};

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader bundle;
    private final ProtectionDomain domain;

    BridgeLoader(ClassLoader library, ClassLoader bundle) {
        super("pstore-capture", library);
        this.bundle = bundle;
        this.domain = BridgeLoader.class.getProtectionDomain();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (own(name)) {
                    c = define(name);
                } else if (name.startsWith("org.pstore.")) {
                    c = bundle.loadClass(name);
                } else {
                    c = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static boolean own(String name) {
        for (String p : OWN) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        try (InputStream in = bundle.getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }
}
