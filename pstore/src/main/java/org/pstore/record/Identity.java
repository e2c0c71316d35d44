package org.pstore.record;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What tells one run of the application from another, written into every record: a random boot id, the
 * lifetime boot number, the pid, the host and the JVM. Fixed at boot, so crash-time writes copy bytes only.
 */
public final class Identity {
    private final UUID bootId;
    private final long bootNumber;
    private final long pid;
    private final String host;
    private final String jvm;
    final byte[] hostBytes;
    final byte[] jvmBytes;

    public Identity(UUID bootId, long bootNumber, long pid, String host, String jvm) {
        this.bootId = bootId;
        this.bootNumber = bootNumber;
        this.pid = pid;
        this.host = host;
        this.jvm = jvm;
        this.hostBytes = truncate(host);
        this.jvmBytes = truncate(jvm);
    }

    private static byte[] truncate(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= RecordFormat.MAX_STRING) {
            return b;
        }
        return new String(b, 0, RecordFormat.MAX_STRING, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    public UUID bootId() {
        return bootId;
    }

    public long bootNumber() {
        return bootNumber;
    }

    public long pid() {
        return pid;
    }

    public String host() {
        return host;
    }

    public String jvm() {
        return jvm;
    }
}
