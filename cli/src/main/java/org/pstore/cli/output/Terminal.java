package org.pstore.cli.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. On Linux, by what {@code /proc/self/fd/N} names (a tty or pty
 * device); elsewhere by {@link System#console()}, which needs stdin and stdout to be terminals.
 */
public final class Terminal {
    private Terminal() {
    }

    public static boolean stdout() {
        return is(1);
    }

    public static boolean stderr() {
        return is(2);
    }

    private static boolean is(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException | UnsupportedOperationException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }
}
