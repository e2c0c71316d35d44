package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pstore.core.testing.JvmFork;
import org.pstore.reader.PstoreReader;

/**
 * A library adds nothing to its host's output: an application that boots pstore sees no line from it on a
 * normal boot, whatever SLF4J it has (none, 1.7 with slf4j-simple, 2.x alone, 2.x with slf4j-simple or
 * Logback), and an application with its own binding keeps it working.
 */
class QuietBootIT {
    /** A host's own logback.xml: the console, at DEBUG. */
    private static final String HOST_LOGBACK = "<configuration><appender name=\"console\" "
            + "class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %level "
            + "%logger{36} -- %msg%n</pattern></encoder></appender><root level=\"DEBUG\"><appender-ref ref=\"console\"/>"
            + "</root></configuration>";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "slf4j-simple-1", "slf4j-2", "slf4j-simple-2", "logback"})
    void bootingPrintsNothingAndTheHostsBindingStillLogs(String binding) throws Exception {
        Path store = dir.resolve("store");
        JvmFork fork = JvmFork.of(HostApp.class, dir).classPath(classPath(binding)).arg(store.toString());
        if (binding.equals("logback")) {
            // the host's own configuration: this module's test classes carry one that silences everything
            Path config = Files.writeString(dir.resolve("host-logback.xml"), HOST_LOGBACK);
            fork.jvmArg("-Dlogback.configurationFile=" + config);
        }
        JvmFork.Child child = fork.start();
        assertThat(child.awaitExit(60)).as(child.err()).isZero();
        String hostLine = "the host's own line";
        switch (binding) {
            case "none", "slf4j-2" -> {
                assertThat(child.err()).as("stderr").isEmpty();
                assertThat(child.out()).as("stdout").isEqualTo("host done\n");
            }
            case "slf4j-simple-1", "slf4j-simple-2" -> {
                assertThat(child.err().lines()).as("slf4j-simple logs to stderr").contains("[main] INFO host.app - " + hostLine);
                assertOnlyChroniclesStartLine(child.err(), hostLine);
                assertThat(child.out()).isEqualTo("host done\n");
            }
            default -> { // the host's Logback configuration: the console, at DEBUG
                assertThat(child.out()).as("stdout").contains("INFO host.app -- " + hostLine).endsWith("host done\n");
                assertOnlyChroniclesStartLine(child.out().replace("host done\n", ""), hostLine);
                assertThat(child.err()).as("stderr").isEmpty();
            }
        }
        try (PstoreReader reader = PstoreReader.open(store)) {
            assertThat(reader.records()).anyMatch(r -> r.typeWord().equals("pmsg"));
        }
    }

    /**
     * Besides the host's own line, the host's log holds at most Chronicle's start-up lines, which Chronicle
     * logs from a static initialiser through SLF4J directly (the README says how to drop them).
     */
    private static void assertOnlyChroniclesStartLine(String log, String hostLine) {
        assertThat(log.lines().filter(l -> !l.contains(hostLine)))
                .allMatch(l -> l.contains("net.openhft.chronicle.core.Jvm") && (l.contains("Chronicle core loaded from")
                        || l.contains("No system.properties file found")), "Chronicle's start-up line");
    }

    /**
     * This JVM's class path without its SLF4J and the logging libraries the capture tests bring (pstore's
     * optional ones), with the host's own SLF4J jars (the 1.7 API Chronicle depends on, or 2.x).
     */
    private static String classPath(String binding) throws Exception {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String jar = Path.of(e).getFileName().toString();
            if (!jar.startsWith("slf4j-") && !jar.startsWith("logback-") && !jar.startsWith("log4j-")) {
                entries.add(e);
            }
        }
        try (Stream<Path> jars = Files.list(Path.of("target", "hosts", binding))) {
            jars.map(Path::toAbsolutePath).map(Path::toString).sorted().forEach(entries::add);
        }
        return String.join(File.pathSeparator, entries);
    }
}
