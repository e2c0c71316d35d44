package org.pstore.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host name, read locally: never a DNS lookup (InetAddress.getLocalHost may make one). */
final class Hosts {
    private Hosts() {
    }

    static String name() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String n = Files.readString(kernel).trim();
                if (!n.isEmpty()) {
                    return n;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the environment
        }
        String env = System.getenv("HOSTNAME");
        if (env == null || env.isBlank()) {
            env = System.getenv("COMPUTERNAME");
        }
        return env == null || env.isBlank() ? "unknown" : env.trim();
    }
}
