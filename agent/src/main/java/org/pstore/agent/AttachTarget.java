package org.pstore.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a PID is worth attaching to, asked before the Attach API is. On Linux that API starts the target's
 * attach listener with a SIGQUIT, whatever the process is: a process that is no JVM would dump core or quit
 * (SIGQUIT's default), or take it as its own signal (an immediate shutdown for some servers). So a process
 * whose memory maps no {@code libjvm} is refused here, and nothing is sent to it.
 */
final class AttachTarget {
    private AttachTarget() {
    }

    /** Why {@code pid} is not attached to, or empty when it is a HotSpot JVM or this system cannot tell. */
    static Optional<String> refusal(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            return Optional.of("no such process");
        }
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return Optional.empty(); // no procfs: the Attach API decides
        }
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        try (BufferedReader in = Files.newBufferedReader(maps, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.contains("/libjvm.so")) { // also "(deleted)": a JVM whose JDK was upgraded under it
                    return Optional.empty();
                }
            }
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // not this user's process (or gone): the Attach API says so, and cannot signal it
        }
        return Optional.of("it maps no libjvm.so: not a HotSpot JVM; nothing was sent to it");
    }
}
