package org.pstore.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's bundle: the classes and resources the agent jar keeps under {@value #PREFIX}, a
 * directory no class path lookup looks into. Its parent is the platform class loader, so the bundle sees
 * the JDK and nothing of the application, and the application never sees the bundle. Classes are read
 * from the jar as they are needed: nothing is extracted.
 */
public final class BundleLoader extends ClassLoader {
    public static final String PREFIX = "PSTORE-INF/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final URL base;
    private final ProtectionDomain domain;

    private BundleLoader(JarFile jar, URL jarUrl) throws MalformedURLException {
        super("pstore-agent", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.base = new URL("jar:" + jarUrl + "!/" + PREFIX);
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
    }

    static BundleLoader open(Path agentJar) throws IOException {
        return new BundleLoader(new JarFile(agentJar.toFile(), false), agentJar.toUri().toURL());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException raced) {
                    // another thread defined it first
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** Straight from the open jar: a jar: URL connection would open the agent jar a second time. */
    @Override
    public InputStream getResourceAsStream(String name) {
        InputStream parent = getParent().getResourceAsStream(name);
        if (parent != null) {
            return parent;
        }
        JarEntry e = jar.getJarEntry(PREFIX + name);
        try {
            return e == null ? null : jar.getInputStream(e);
        } catch (IOException ex) {
            return null;
        }
    }

    @Override
    protected URL findResource(String name) {
        if (jar.getJarEntry(PREFIX + name) == null) {
            return null;
        }
        try {
            return new URL(base, name);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL u = findResource(name);
        return u == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(u));
    }
}
