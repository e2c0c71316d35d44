package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.pstore.boot.Boot;
import org.pstore.cli.demo.DemoApp;
import org.pstore.core.testing.Jdks;
import org.pstore.core.testing.JvmFork;

/** Stores made by real crashes (the demo application in a child JVM), and the CLI run as a process to be killed. */
final class Crashes {
    private Crashes() {
    }

    /** The demo application crashed as {@code kind} into {@code dir}, booted with PSTORE_SERVICE=checkout. */
    static JvmFork.Child crash(Path work, Path dir, String kind, Jdks.Jdk jdk) throws Exception {
        JvmFork.Child app = JvmFork.of(DemoApp.class, work).jdk(jdk).env(Map.of("PSTORE_SERVICE", "checkout"))
                .arg(kind, dir.toString()).start();
        return app;
    }

    /** Waits for the crashed application and checks it left a store. */
    static void awaitCrash(JvmFork.Child app, Path dir) throws Exception {
        int status = app.awaitExit(120);
        assertThat(status).as("the panic's exit status; stderr: " + app.err()).isEqualTo(70);
        assertThat(dir.resolve("PSTORE")).exists();
    }

    /** Another run of the application: a few messages and log lines, then an orderly close. */
    static void anotherRun(Path dir, int n) {
        Boot.Booted b = Boot.open(org.pstore.PstoreConfig.builder().dir(dir).build());
        try {
            for (int i = 0; i < 50; i++) {
                b.ring().println("INFO app: run " + n + " line " + i);
            }
            byte[] m = ("run " + n + " message").getBytes(StandardCharsets.UTF_8);
            b.pmsg().write(m, 0, m.length);
            b.console().drain();
        } finally {
            b.close();
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** The CLI in a child JVM; with a checkpoint, it stops there and waits to be killed. */
    static JvmFork.Child cli(Path work, String checkpoint, String... args) throws IOException {
        JvmFork f = JvmFork.of(Main.class, work).arg(args);
        if (checkpoint != null) {
            f.jvmArg("-Dpstore.test.checkpoint=" + checkpoint);
        }
        return f.start();
    }

    /** Waits until the child says it reached {@code checkpoint}, then kills it with SIGKILL. */
    static void killAt(JvmFork.Child cli, String checkpoint) throws Exception {
        String name = checkpoint.contains(":") ? checkpoint.substring(0, checkpoint.indexOf(':')) : checkpoint;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!cli.err().contains("checkpoint " + name)) {
            if (!cli.alive()) {
                throw new AssertionError("the CLI ended before " + checkpoint + "; stdout:\n" + cli.out() + "\nstderr:\n" + cli.err());
            }
            if (System.nanoTime() > deadline) {
                cli.kill();
                throw new AssertionError("the CLI never reached " + checkpoint + "; stderr:\n" + cli.err());
            }
            Thread.sleep(5);
        }
        cli.kill();
    }
}
