package org.pstore.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The {@code --add-opens/--add-exports} flags Chronicle Queue needs on Java 17+. The lists come from the
 * parent pom (filtered into {@code jvm-flags.properties}), so the build, the launchers and this runtime
 * check agree by construction.
 */
public final class JvmFlags {
    private static final Module SELF = JvmFlags.class.getModule();
    private static final Properties LISTS = load();

    private JvmFlags() {
    }

    /** Prints the flags, space-separated, for scripts: {@code java $(java -cp pstore-core.jar org.pstore.core.store.JvmFlags) ...}. */
    public static void main(String[] args) {
        System.out.println(String.join(" ", required()));
    }

    /** Every flag a JVM running pstore should be started with, for this Java version. */
    public static List<String> required() {
        return required(Runtime.version().feature());
    }

    /** Every flag a JVM of Java {@code feature} (17, 21, 25...) running pstore should be started with. */
    public static List<String> required(int feature) {
        List<String> flags = new ArrayList<>();
        for (String pair : pairs("opens")) {
            flags.add("--add-opens=" + pair + "=ALL-UNNAMED");
        }
        for (String pair : pairs("exports")) {
            flags.add("--add-exports=" + pair + "=ALL-UNNAMED");
        }
        flags.addAll(modern(feature));
        flags.add("-Dchronicle.analytics.disable=true");
        return flags;
    }

    /** The {@code module/package} pairs Chronicle needs opened (deep reflection), e.g. {@code java.base/java.lang}. */
    public static List<String> opens() {
        return pairs("opens");
    }

    /** The {@code module/package} pairs Chronicle needs exported. */
    public static List<String> exports() {
        return pairs("exports");
    }

    /** The flags a JVM of Java {@code feature} needs beyond the opens and exports (Java 23+: native access, Unsafe). */
    public static List<String> modern(int feature) {
        return feature >= 23 ? pairs("jdk23") : List.of();
    }

    /** The required open/export flags this JVM was not started with (modules absent from the runtime are not needed). */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String pair : pairs("opens")) {
            target(pair).filter(t -> !t.module.isOpen(t.pkg, SELF))
                    .ifPresent(t -> missing.add("--add-opens=" + pair + "=ALL-UNNAMED"));
        }
        for (String pair : pairs("exports")) {
            target(pair).filter(t -> !t.module.isExported(t.pkg, SELF))
                    .ifPresent(t -> missing.add("--add-exports=" + pair + "=ALL-UNNAMED"));
        }
        return missing;
    }

    private static Optional<Target> target(String pair) {
        int slash = pair.indexOf('/');
        return ModuleLayer.boot().findModule(pair.substring(0, slash))
                .map(m -> new Target(m, pair.substring(slash + 1)));
    }

    private static List<String> pairs(String key) {
        String value = LISTS.getProperty(key, "").trim();
        return value.isEmpty() ? List.of() : List.of(value.split("\\s+"));
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm-flags.properties is missing from the pstore-core jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static final class Target {
        final Module module;
        final String pkg;

        Target(Module module, String pkg) {
            this.module = module;
            this.pkg = pkg;
        }
    }
}
