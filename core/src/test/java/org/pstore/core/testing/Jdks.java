package org.pstore.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDKs crash tests run their children on: the one running the tests, plus every other installed JDK of
 * another feature release (17 or later) found under {@code /usr/lib/jvm}, one per feature release. CI machines
 * carry a JDK 17 and a JDK 25; the path must hold on both. {@code -Dpstore.test.jdks=DIR:DIR} names the JDK
 * homes instead of looking; {@code -Dpstore.test.jdks=current} keeps to the running one.
 */
public final class Jdks {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");
    private static final Path INSTALLED = Path.of("/usr/lib/jvm");
    private static volatile List<Jdk> all;

    private Jdks() {
    }

    /** A JDK home and its feature release. */
    public record Jdk(Path home, int feature) {
        public Path java() {
            return home.resolve("bin").resolve("java");
        }

        public boolean current() {
            return feature == Runtime.version().feature();
        }

        @Override
        public String toString() {
            return "JDK " + feature;
        }
    }

    /** The running JDK. */
    public static Jdk current() {
        return new Jdk(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** The running JDK first, then the others found, one per feature release. */
    public static List<Jdk> all() {
        List<Jdk> found = all;
        if (found == null) {
            found = discover();
            all = found;
        }
        return found;
    }

    /** The JDKs other than the running one (empty when none is installed). */
    public static List<Jdk> others() {
        return all().subList(1, all().size());
    }

    private static List<Jdk> discover() {
        Map<Integer, Jdk> byFeature = new LinkedHashMap<>();
        Jdk running = current();
        byFeature.put(running.feature(), running);
        String named = System.getProperty("pstore.test.jdks", "");
        if (named.equals("current")) {
            return List.of(running);
        }
        List<Path> homes = new ArrayList<>();
        if (!named.isBlank()) {
            for (String h : named.split(":")) {
                homes.add(Path.of(h.trim()));
            }
        } else if (Files.isDirectory(INSTALLED)) {
            try (Stream<Path> dirs = Files.list(INSTALLED)) {
                dirs.sorted().forEach(homes::add);
            } catch (IOException e) {
                // no others then
            }
        }
        for (Path home : homes) {
            int feature = feature(home);
            if (feature >= 17 && Files.isExecutable(home.resolve("bin").resolve("java"))) {
                byFeature.putIfAbsent(feature, new Jdk(home, feature));
            }
        }
        return List.copyOf(byFeature.values());
    }

    private static int feature(Path home) {
        try {
            Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
