package org.pstore.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.panic.DumpReason;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/**
 * The panic path against every adversity the issue lists, each in a real JVM that really dies: then the
 * reader, in this JVM, finds the crash record, with the cause, the last line logged and a thread dump.
 */
class PanicPathIT {
    @TempDir
    Path dir;

    static final List<String> SCENARIOS = List.of("panic", "stuck-write", "stuck-lock", "dead-worker", "oom",
            "stackoverflow", "concurrent", "shutdown", "full", "io-errors", "notifiers",
            "exit-during-panic", "bad-parts", "stackoverflow-in-logging", "mapping-freed-in-full-heap");

    /** Every scenario on every installed JDK (the one running the tests, and a 25 where there is one). */
    static List<Arguments> scenarios() {
        return Jdks.all().stream().flatMap(jdk -> SCENARIOS.stream().map(s -> Arguments.of(s, jdk))).toList();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("scenarios")
    void theCrashRecordSurvives(String scenario, Jdks.Jdk jdk) throws Exception {
        Path store = dir.resolve("store");
        JvmFork fork = JvmFork.of(CrashApp.class, dir).jdk(jdk).arg(scenario, store.toString());
        if (scenario.equals("oom") || scenario.equals("mapping-freed-in-full-heap")) {
            fork.jvmArg("-Xmx48m");
        }
        if (scenario.startsWith("stackoverflow")) {
            fork.jvmArg("-Xss512k");
        }
        JvmFork.Child child = fork.start();
        int status = child.awaitExit(90);
        String why = "stdout:\n" + child.out() + "\nstderr:\n" + child.err();
        assertThat(status).as(why).isEqualTo(scenario.equals("shutdown") ? 0 : CrashApp.EXIT);
        assertThat(child.out()).as(why).doesNotContain("survived");

        try (PstoreReader reader = PstoreReader.open(store)) {
            assertThat(reader.problems()).as(why).isEmpty();
            List<PstoreRecord> dmesg = reader.records().stream().filter(r -> r.type() == RecordType.DMESG).toList();
            Set<Integer> panics = dmesg.stream().filter(r -> r.reason() == DumpReason.PANIC.code())
                    .map(PstoreRecord::count).collect(Collectors.toSet());
            assertThat(panics).as("exactly one crash record; %s", why).hasSize(1);
            List<PstoreRecord> parts = reader.dumpParts(DumpReason.PANIC, panics.iterator().next());
            StringBuilder text = new StringBuilder();
            for (PstoreRecord p : parts) {
                text.append(reader.payload(p).text());
            }
            String crash = text.toString();
            assertThat(crash).as("the header").contains("Panic#1 Part#1");
            assertThat(crash).as("the cause").contains(expectedCause(scenario));
            if (scenario.equals("stackoverflow-in-logging")) {
                // the lines logged on the way down, each whole, the ring consistent after the error inside it
                List<String> depths = crash.lines().filter(l -> l.contains("INFO crash.app: depth ")).toList();
                assertThat(depths).as("the lines logged on the way down").hasSizeGreaterThan(10);
                assertThat(depths).as("every one whole").allMatch(l -> {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("depth (\\d+) (#*) end$").matcher(l);
                    return m.find() && m.group(2).length() == Integer.parseInt(m.group(1)) % 40;
                });
            } else {
                assertThat(crash).as("the last line logged").contains("INFO crash.app: the last line before the panic");
            }
            assertThat(crash).as("a thread dump").contains("Threads: ").contains("\"main\"");
            if (scenario.equals("bad-parts")) {
                assertThat(crash).as("the suppressed one, named without its message")
                        .contains("Suppressed: org.pstore.crash.CrashApp$2: [message unavailable: getMessage() failed]");
                assertThat(crash).as("the huge thread name, cut").containsPattern("\"huge-x{10,}\\.\\.\\.");
                assertThat(crash.length()).as("the record stays bounded").isLessThan(1 << 20);
            }
            if (scenario.equals("stuck-write") || scenario.equals("stuck-lock") || scenario.equals("io-errors")) {
                assertThat(parts).as("where the record went").allMatch(p -> p.location().word().equals("panic-area"));
            }
            if (scenario.equals("panic") || scenario.equals("stuck-write")) {
                assertThat(crash).as("the default boot ran on the worker; the switch is named")
                        .contains("[pstore] boot 1: store ").contains(", interruptible (interruptible: probe write median")
                        .contains("[pstore] ops: interruptible -> legacy at panic");
            }
            if (scenario.equals("full") || scenario.equals("dead-worker") || scenario.equals("panic")) {
                assertThat(parts).as("where the record went").allMatch(p -> p.location().word().equals("store"));
            }
        }
    }

    private static String expectedCause(String scenario) {
        switch (scenario) {
            case "oom":
                return "java.lang.OutOfMemoryError";
            case "mapping-freed-in-full-heap":
                return "java.lang.OutOfMemoryError: after the mapping was unmapped in a full heap";
            case "stackoverflow":
            case "stackoverflow-in-logging":
                return "java.lang.StackOverflowError";
            case "stuck-write":
            case "stuck-lock":
            case "dead-worker":
                return "main thread gives up: " + scenario;
            case "concurrent":
                return "concurrent panic";
            case "shutdown":
                return "a hook failed";
            case "exit-during-panic":
                return "exit during panic";
            case "bad-parts":
                return "Cause: org.pstore.crash.CrashApp$1: [message unavailable: getMessage() failed]";
            default:
                return "java.lang.IllegalStateException";
        }
    }
}
