package org.pstore.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;
import org.pstore.panic.DumpReason;
import org.pstore.reader.PstoreReader;
import org.pstore.record.PstoreRecord;
import org.pstore.record.RecordType;

/** The agent jar under test and what the agent tests need to run and read an application. */
final class Agent {
    private Agent() {
    }

    /** target/pstore-agent.jar, built by the package phase before Failsafe runs. */
    static Path jar() {
        Path jar = Path.of(System.getProperty("pstore.agent.jar", "target/pstore-agent.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        return jar;
    }

    /** An application started with only -javaagent (no flags of pstore's), -Xmx64m, on its own class path. */
    static JvmFork app(Class<?> main, Path dir, Jdks.Jdk jdk, String classPath, String options) {
        return JvmFork.of(main, dir).withoutFlags().jdk(jdk).classPath(classPath)
                .jvmArg("-Xmx64m", "-javaagent:" + jar() + (options.isEmpty() ? "" : "=" + options));
    }

    static List<Jdks.Jdk> jdks() {
        return Jdks.all();
    }

    /** The text of every part of every panic dump, newest part first, and how many panics there were. */
    static String panicText(Path store) {
        try (PstoreReader r = PstoreReader.open(store)) {
            StringBuilder sb = new StringBuilder();
            for (PstoreRecord p : r.dumpParts(DumpReason.PANIC, 1)) {
                sb.append(r.payload(p).text());
            }
            return sb.toString();
        }
    }

    static int panics(Path store) {
        try (PstoreReader r = PstoreReader.open(store)) {
            int n = 0;
            while (!r.dumpParts(DumpReason.PANIC, n + 1).isEmpty()) {
                n++;
            }
            return n;
        }
    }

    /** Waits until the live store's console journal holds {@code text} (the store is open by then); fails after the guard. */
    static void awaitJournal(Path store, String text, JvmFork.Child child, long guardSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + guardSeconds * 1_000_000_000L;
        while (true) {
            try {
                if (console(store).contains(text)) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // no store yet
            }
            if (!child.alive() || System.nanoTime() > deadline) {
                child.kill(); // a failed test leaves no process behind
                throw new AssertionError("the journal never held '" + text + "' (child alive: " + child.alive()
                        + "); stderr:\n" + child.err() + "\nstdout:\n" + child.out());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until pstore runs in the child (the claim {@code org.pstore.running} says "running:"), read through
     * the Attach API as {@code pstore attach} reads it, once the child's creation is over (before, reading its
     * properties can break the child's start-up: {@link VmCreation}); fails after the guard.
     */
    static void awaitArmed(JvmFork.Child child, long guardSeconds) throws Exception {
        long deadline = System.nanoTime() + guardSeconds * 1_000_000_000L;
        while (true) {
            String claim = null;
            if (VmCreation.over(child.pid())) {
                try {
                    com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(child.pid()));
                    try {
                        claim = vm.getSystemProperties().getProperty("org.pstore.running");
                    } finally {
                        vm.detach();
                    }
                } catch (com.sun.tools.attach.AttachNotSupportedException | java.io.IOException notYet) {
                    // its attach listener is not up yet
                }
            }
            if (claim != null && claim.startsWith("running: ")) {
                return;
            }
            if (!child.alive() || System.nanoTime() > deadline) {
                child.kill();
                throw new AssertionError("pstore never ran in the child (claim: " + claim + "); stderr:\n" + child.err());
            }
            Thread.sleep(50);
        }
    }

    /** Tells an application in {@code wait} mode to log its last line and crash. */
    static void crashNow(Path workDir) throws java.io.IOException {
        Files.writeString(workDir.resolve("crash-now"), "");
    }

    static String console(Path store) {
        try (PstoreReader r = PstoreReader.open(store)) {
            StringBuilder sb = new StringBuilder();
            for (PstoreRecord x : r.records()) {
                if (x.type() == RecordType.CONSOLE) {
                    sb.append(r.payload(x).text());
                }
            }
            return sb.toString();
        }
    }
}
