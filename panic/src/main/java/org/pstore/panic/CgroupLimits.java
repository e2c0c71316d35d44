package org.pstore.panic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The container limits of this process, as its cgroup states them: the CPU quota and the memory limit (cgroup
 * v2 {@code cpu.max} and {@code memory.max}; v1 {@code cpu.cfs_quota_us}/{@code cpu.cfs_period_us} and
 * {@code memory.limit_in_bytes}). Read once when the machine is armed; "none" where there is no limit, "unknown"
 * where the OS says nothing.
 */
final class CgroupLimits {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    /** cgroup v1 writes "no limit" as the largest page-aligned long. */
    private static final long V1_UNLIMITED = Long.MAX_VALUE / 2;

    private CgroupLimits() {
    }

    /** "cgroup v2: CPU quota 1.5 CPUs, memory limit 256.0 MiB", or why not. */
    static String describe() {
        String procCgroup;
        try {
            procCgroup = read(Path.of("/proc/self/cgroup"));
        } catch (IOException | RuntimeException e) {
            return "cgroup: unknown";
        }
        String v1Cpu = null;
        String v1Memory = null;
        String v2 = null;
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                continue;
            }
            for (String controller : f[1].split(",")) {
                if (controller.equals("cpu")) {
                    v1Cpu = f[2];
                } else if (controller.equals("memory")) {
                    v1Memory = f[2];
                }
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2 = f[2];
            }
        }
        if (v1Memory != null || v1Cpu != null) {
            String quota = file(ROOT.resolve("cpu"), v1Cpu, "cpu.cfs_quota_us");
            String period = file(ROOT.resolve("cpu"), v1Cpu, "cpu.cfs_period_us");
            String memory = file(ROOT.resolve("memory"), v1Memory, "memory.limit_in_bytes");
            return "cgroup v1: CPU quota " + cpus(quota, period) + ", memory limit " + bytes(memory);
        }
        if (v2 != null) {
            String cpuMax = file(ROOT, v2, "cpu.max");
            String[] q = cpuMax == null ? new String[0] : cpuMax.split(" ");
            return "cgroup v2: CPU quota " + (q.length == 2 ? cpus(q[0], q[1]) : "unknown") + ", memory limit " + bytes(file(ROOT, v2, "memory.max"));
        }
        return "cgroup: none";
    }

    private static String cpus(String quota, String period) {
        if (quota == null || period == null) {
            return "unknown";
        }
        if (quota.equals("max") || quota.equals("-1")) {
            return "none";
        }
        try {
            return String.format("%.2f CPUs", Double.parseDouble(quota) / Double.parseDouble(period));
        } catch (NumberFormatException e) {
            return "unknown";
        }
    }

    private static String bytes(String limit) {
        if (limit == null) {
            return "unknown";
        }
        if (limit.equals("max")) {
            return "none";
        }
        try {
            long b = Long.parseLong(limit);
            return b >= V1_UNLIMITED ? "none" : String.format("%.1f MiB (%d bytes)", b / 1048576.0, b);
        } catch (NumberFormatException e) {
            return "unknown";
        }
    }

    /** The file's first line under the cgroup's directory, else at the mount's root (a container's view); null when neither. */
    private static String file(Path mount, String cgroup, String name) {
        if (cgroup == null) {
            return null;
        }
        String relative = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
        for (Path p : new Path[] {relative.isEmpty() || relative.contains("..") ? mount.resolve(name) : mount.resolve(relative).resolve(name),
            mount.resolve(name)}) {
            try {
                return read(p).strip().split("\n")[0];
            } catch (IOException | RuntimeException e) {
                // try the next
            }
        }
        return null;
    }

    private static String read(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(p + ": not a regular file");
        }
        try (InputStream in = Files.newInputStream(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(64 << 10), StandardCharsets.US_ASCII);
        }
    }
}
