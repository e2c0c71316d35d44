package org.pstore.lastwords;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's count of OOM kills in this process's memory cgroup: {@code oom_kill} in cgroup v2's
 * {@code memory.events}, or in cgroup v1's {@code memory.oom_control}. A run whose count rose was very likely
 * ended by the OOM killer (a SIGKILL, which leaves nothing else behind).
 */
public final class OomCounter {
    private static final int MAX_FILE = 64 << 10;
    private static final Path PROC_CGROUP = Path.of("/proc/self/cgroup");
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private final Path file;

    OomCounter(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The counter of this process's cgroup, where the OS exposes one. */
    public static Optional<OomCounter> find() {
        try {
            String text = new String(Files.readAllBytes(PROC_CGROUP), StandardCharsets.UTF_8);
            return find(text, CGROUP_ROOT);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** From the text of {@code /proc/self/cgroup} and the cgroup file systems' root (tests give fixtures). */
    static Optional<OomCounter> find(String procCgroup, Path root) {
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            boolean v1Memory = java.util.Arrays.asList(f[1].split(",")).contains("memory");
            boolean v2 = f[0].equals("0") && f[1].isEmpty();
            Path counter = null;
            if (v1Memory) {
                counter = existing(root.resolve("memory"), f[2], "memory.oom_control");
            } else if (v2) {
                counter = existing(root, f[2], "memory.events");
                if (counter == null) {
                    counter = existing(root.resolve("unified"), f[2], "memory.events");
                }
            }
            if (counter != null) {
                return Optional.of(new OomCounter(counter));
            }
        }
        return Optional.empty();
    }

    /** The file under the cgroup's own directory, else at the mount's root (a container sees its cgroup as "/"). */
    private static Path existing(Path mount, String cgroup, String name) {
        String relative = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
        Path own = relative.isEmpty() ? mount.resolve(name) : mount.resolve(relative).resolve(name);
        if (!relative.contains("..") && Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
            return own;
        }
        Path top = mount.resolve(name);
        return Files.isRegularFile(top, LinkOption.NOFOLLOW_LINKS) ? top : null;
    }

    /** The count now, or empty when the file is gone or says none. */
    public Optional<Long> read() {
        return read(file);
    }

    /** The {@code oom_kill} count in a {@code memory.events} or {@code memory.oom_control} file. */
    public static Optional<Long> read(Path file) {
        try {
            String text = new String(HsErrFiles.readSmall(file, MAX_FILE), StandardCharsets.US_ASCII);
            for (String line : text.split("\n")) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals("oom_kill") && kv[1].matches("\\d{1,18}")) {
                    return Optional.of(Long.parseLong(kv[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone (the cgroup was removed), or not readable
        }
        return Optional.empty();
    }
}
