package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI on a real pseudo-terminal (util-linux {@code script}; skipped, saying why, without it): a crash
 * record holding escape sequences reaches the terminal escaped, and the same command into a pipe gives the
 * bytes. This is what tells the CLI apart from a pipe: {@code /proc/self/fd/1}.
 */
class TerminalIT {
    private static final Path JAR = Path.of("target", "pstore-cli.jar").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void onATerminalTheRecordsEscapesAreShownNotObeyed() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script (util-linux) for a pseudo-terminal");
        SmallStore store = SmallStore.write(tmp.resolve("store"), "WARN app: user sent " + TerminalOutputTest.TITLE
                + TerminalOutputTest.CLEAR + TerminalOutputTest.CLIPBOARD + " end");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String show = java + " -jar " + JAR + " show --panic 1 --dir " + store.dir;

        String onPty = run("script", "-qec", show, "/dev/null");
        assertThat(onPty).contains("user sent \\x1b]0;owned\\x07\\x1b[2J\\x1b]52;c;cm0gLXJmIH4=\\x07 end");
        assertThat(onPty).doesNotContain("\u001b]").doesNotContain("\u001b[2J");

        String piped = run("sh", "-c", show + " | cat");
        assertThat(piped).contains("user sent " + TerminalOutputTest.TITLE + TerminalOutputTest.CLEAR);
    }

    private String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
