package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored text cannot take over the reader's terminal: a crash record whose log holds escape sequences (a
 * window title, a screen clear, a clipboard write) is shown escaped on a terminal, as it is to a pipe, and
 * JSON is the same either way.
 */
class TerminalOutputTest {
    static final String TITLE = "\u001b]0;owned\u0007";
    static final String CLEAR = "\u001b[2J";
    static final String CLIPBOARD = "\u001b]52;c;cm0gLXJmIH4=\u0007";
    static final String CSI = "\u009b31m";

    @TempDir
    java.nio.file.Path tmp;
    SmallStore store;

    @BeforeEach
    void aCrashRecordWithEscapes() {
        store = SmallStore.write(tmp.resolve("store"), "WARN app: user sent " + TITLE + CLEAR + CLIPBOARD + CSI + " end");
    }

    @Test
    void showPanicEscapesControlCharactersOnATerminalOnly() {
        Cli tty = store.onTerminal("show", "--panic", "1");
        assertThat(tty.status).as(tty.toString()).isZero();
        assertThat(tty.out).contains("user sent \\x1b]0;owned\\x07\\x1b[2J\\x1b]52;c;cm0gLXJmIH4=\\x07\\u009b31m end");
        assertThat(tty.out).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b");
        assertThat(tty.out).as("newlines and tabs are kept").contains("\n");

        Cli pipe = store.pstore("show", "--panic", "1");
        assertThat(pipe.out).as("a pipe gets the bytes").contains("user sent " + TITLE + CLEAR + CLIPBOARD + CSI + " end");
    }

    @Test
    void tailAndShowOfTheConsoleRecordEscapeToo() {
        Cli tail = store.onTerminal("tail", "-n", "0");
        assertThat(tail.out).contains("\\x1b[2J").doesNotContain("\u001b");
        Cli console = store.onTerminal("show", "console-efi-1000000000");
        assertThat(console.out).contains("\\x1b]52;c;").doesNotContain("\u001b");
        assertThat(store.pstore("tail", "-n", "0").out).contains(CLEAR);
    }

    @Test
    void jsonIsTheSameOnATerminalAndEscapesEveryControlCharacter() {
        Cli tty = store.onTerminal("export");
        Cli pipe = store.pstore("export");
        assertThat(tty.out).isEqualTo(pipe.out);
        assertThat(pipe.out).contains("\\u001B]0;owned\\u0007").contains("\\u009b31m").doesNotContain("\u001b").doesNotContain("\u009b");
    }

    @Test
    void rawIsRefusedOnATerminalForWhatIsNotText() {
        Cli part = store.onTerminal("show", "--raw", "--panic", "1");
        assertThat(part.status).isEqualTo(1);
        assertThat(part.err.lines()).hasSize(1);
        assertThat(part.err).startsWith("pstore: dmesg-efi-").contains("is compressed").contains("stdout is a terminal")
                .contains("show --raw dmesg-efi-").contains("> FILE");
        Cli binary = store.onTerminal("show", "--raw", Long.toString(store.binaryId));
        assertThat(binary.status).isEqualTo(1);
        assertThat(binary.err).contains("is binary (4 bytes as stored)");
        Cli shown = store.onTerminal("show", Long.toString(store.binaryId));
        assertThat(shown.status).isZero();
        assertThat(shown.out).isEqualTo("\\xff\\x00\\xfe\\x01\n");
    }
}
