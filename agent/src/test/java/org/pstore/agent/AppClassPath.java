package org.pstore.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path of a test application: the test classes, the application's own resource directory
 * ({@code apps/<name>}, holding its logback.xml or log4j2.xml), and the named libraries' jars picked from
 * this JVM's class path (by artifact id). Nothing of pstore is on it: the agent brings its own.
 */
final class AppClassPath {
    private AppClassPath() {
    }

    static String of(String resources, String... artifacts) {
        List<String> entries = new ArrayList<>();
        Path testClasses = null;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith("test-classes") && Files.isDirectory(Path.of(e, "example"))) {
                testClasses = Path.of(e); // this module's, where the applications are
            }
        }
        if (testClasses == null) {
            throw new IllegalStateException("no test-classes directory on the class path");
        }
        entries.add(testClasses.toString());
        if (resources != null) {
            Path dir = testClasses.resolve("apps").resolve(resources);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("no resources for app " + resources + " at " + dir);
            }
            entries.add(dir.toString());
        }
        for (String artifact : artifacts) {
            entries.add(jar(artifact));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String jar(String artifact) {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.endsWith(".jar") && name.startsWith(artifact + "-") && Character.isDigit(name.charAt(artifact.length() + 1))) {
                return e;
            }
        }
        throw new IllegalStateException("no " + artifact + " jar on the test class path");
    }

    static final String[] LOGBACK = {"slf4j-api", "logback-classic", "logback-core"};
    static final String[] LOG4J2 = {"log4j-api", "log4j-core"};
    static final String[] SPRING = {"spring-boot", "spring-boot-autoconfigure", "spring-core", "spring-jcl", "spring-context",
        "spring-beans", "spring-aop", "spring-expression", "micrometer-observation", "micrometer-commons", "snakeyaml",
        "jakarta.annotation-api", "slf4j-api", "logback-classic", "logback-core", "jul-to-slf4j", "log4j-to-slf4j", "log4j-api"};
}
