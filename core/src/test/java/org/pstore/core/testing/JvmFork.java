package org.pstore.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.pstore.core.store.JvmFlags;

/**
 * Starts a real child JVM running a test main class, with this JVM's class path and the flags pstore
 * needs, its output captured to files. Crash tests use it to really crash, halt or SIGKILL a process.
 */
public final class JvmFork {
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Class<?> main;
    private final Path executableJar;
    private final Path workDir;
    private boolean flags = true;
    private Map<String, String> env = Map.of();
    private Jdks.Jdk jdk = Jdks.current();
    private String classPath = System.getProperty("java.class.path");
    private final List<String> wrapper = new ArrayList<>();

    private JvmFork(Class<?> main, Path executableJar, Path workDir) {
        this.main = main;
        this.executableJar = executableJar;
        this.workDir = workDir;
    }

    public static JvmFork of(Class<?> main, Path workDir) {
        return new JvmFork(main, null, workDir);
    }

    /** Runs {@code jar} with {@code java -jar}, as a launch script would: its manifest's Main-Class and Add-Exports. */
    public static JvmFork ofJar(Path jar, Path workDir) {
        return new JvmFork(null, jar, workDir);
    }

    public JvmFork jvmArg(String... a) {
        jvmArgs.addAll(List.of(a));
        return this;
    }

    public JvmFork arg(String... a) {
        args.addAll(List.of(a));
        return this;
    }

    /** Runs the child on {@code jdk} (default: the JDK running the tests). */
    public JvmFork jdk(Jdks.Jdk jdk) {
        this.jdk = jdk;
        return this;
    }

    /** Runs the child JVM under another program, e.g. {@code strace -f -o FILE}. */
    public JvmFork under(String... command) {
        wrapper.addAll(List.of(command));
        return this;
    }

    /** Runs the child on {@code classPath} instead of this JVM's (an application of its own, e.g. for the agent). */
    public JvmFork classPath(String classPath) {
        this.classPath = classPath;
        return this;
    }

    /** Leaves out the Chronicle flags, to see what happens without them. */
    public JvmFork withoutFlags() {
        flags = false;
        return this;
    }

    public JvmFork env(Map<String, String> env) {
        this.env = env;
        return this;
    }

    public Child start() throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(jdk.java().toString());
        if (flags) {
            cmd.addAll(JvmFlags.required(jdk.feature()));
        }
        cmd.add("-Xshare:auto");
        cmd.addAll(jvmArgs);
        if (executableJar != null) {
            cmd.add("-jar");
            cmd.add(executableJar.toString());
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(main.getName());
        }
        cmd.addAll(args);
        Files.createDirectories(workDir);
        Path out = workDir.resolve("child.out");
        Path err = workDir.resolve("child.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        return new Child(pb.start(), out, err);
    }

    /** A running or finished child JVM. */
    public static final class Child {
        private final Process process;
        private final Path out;
        private final Path err;

        Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public long pid() {
            return process.pid();
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** Waits for the child to end on its own; kills it and fails if it hangs past the guard. */
        public int awaitExit(long guardSeconds) throws InterruptedException {
            if (!process.waitFor(guardSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM still running after " + guardSeconds + " s; stderr:\n" + err());
            }
            return process.exitValue();
        }

        /** SIGTERM, as a service manager stops a process: shutdown hooks run. Waits for the end. */
        public int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM ignored SIGTERM for 60 s; stderr:\n" + err());
            }
            return process.exitValue();
        }

        /** SIGKILL: no shutdown hook, no finally block runs in the child. */
        public int kill() throws InterruptedException {
            process.destroyForcibly();
            return process.waitFor();
        }

        public String out() {
            return read(out);
        }

        /** Writes one line to the child's stdin (a child started ahead of time waits for its orders there). */
        public void send(String line) throws IOException {
            var in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The file the child's stdout goes to, for tests that follow it as it grows. */
        public Path outFile() {
            return out;
        }

        public String err() {
            return read(err);
        }

        /** Waits until the child's stdout contains {@code text} (or the child ends, or the guard passes). */
        public boolean awaitOutput(String text, long guardSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(guardSeconds);
            while (System.nanoTime() < deadline) {
                if (out().contains(text)) {
                    return true;
                }
                if (!process.isAlive()) {
                    return out().contains(text);
                }
                Thread.sleep(10);
            }
            return false;
        }

        private static String read(Path p) {
            try {
                return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "<unreadable: " + e + ">";
            }
        }
    }
}
