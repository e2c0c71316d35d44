package org.pstore.panic;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * What hs_err would have told about the machine and the JVM, in the heap-hungry rest of the report: OS and
 * kernel, CPUs and the cgroup's limits, uptime, the memory pools (used, committed, max), the VM flags in full,
 * the agents given on the command line, the system properties (secret-looking values masked). All but the
 * pools and the uptime is captured when the machine is armed (allocating; the properties as they were then),
 * so that printing it needs no heap; the pools' usage is read at the panic, with the heap pressure's retries
 * like every heap-hungry part. One that fails is one line saying what was lost.
 */
final class SystemSection {
    static final String PROPERTIES_CAPTION = "System properties at boot (secret-looking values masked):";
    private static final int MAX_VALUE = 400;

    private final String system;
    /** Read in the background (the platform MBean server takes 0.2 s to start, more under load): until then, says so. */
    private volatile String vmFlags = "[not read yet: the panic came within a second of boot]";
    private final String agents;
    private final MemoryPoolMXBean[] pools;
    private final Redaction redaction;
    private final RuntimeMXBean runtime;
    /** {@code name=value} lines, values masked, escaped and cut, or the one line saying why there are none. */
    private final String[] properties;

    private SystemSection(String system, String agents, MemoryPoolMXBean[] pools, RuntimeMXBean runtime, Redaction redaction,
                          String[] properties) {
        this.system = system;
        this.properties = properties;
        this.agents = agents;
        this.pools = pools;
        this.runtime = runtime;
        this.redaction = redaction;
    }

    /** Allocates; every part that cannot be had says so. */
    static SystemSection capture(Redaction redaction, List<String> inputArguments) {
        String system;
        try {
            system = System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + "), "
                    + Runtime.getRuntime().availableProcessors() + " CPUs available to the JVM; " + CgroupLimits.describe();
        } catch (RuntimeException | Error e) {
            system = "[system lost: " + e + "]";
        }
        List<String> agents = new ArrayList<>();
        for (String arg : inputArguments) {
            if (arg.startsWith("-javaagent:") || arg.startsWith("-agentlib:") || arg.startsWith("-agentpath:")) {
                agents.add(redaction.redact(arg));
            }
        }
        String running = System.getProperty("org.pstore.running", "");
        if (running.contains("agent") && agents.stream().noneMatch(a -> a.contains("pstore"))) {
            agents.add("pstore's Java agent, attached (" + running + ")");
        }
        MemoryPoolMXBean[] pools;
        try {
            pools = ManagementFactory.getMemoryPoolMXBeans().toArray(new MemoryPoolMXBean[0]);
        } catch (RuntimeException | Error e) {
            pools = new MemoryPoolMXBean[0];
        }
        RuntimeMXBean runtime;
        try {
            runtime = ManagementFactory.getRuntimeMXBean();
        } catch (RuntimeException | Error e) {
            runtime = null;
        }
        SystemSection section = new SystemSection(system, agents.isEmpty() ? "none on the command line" : String.join(" ", agents),
                pools, runtime, redaction, properties(redaction));
        Thread reader = new Thread(section::readVmFlags, "pstore-vm-flags");
        reader.setDaemon(true);
        reader.start();
        return section;
    }

    private static String[] properties(Redaction redaction) {
        try {
            List<String> names = new ArrayList<>(System.getProperties().stringPropertyNames());
            names.sort(null);
            List<String> lines = new ArrayList<>();
            for (String name : names) {
                String value = System.getProperty(name);
                String shown = value == null ? "" : redaction.value(name, value);
                StringBuilder line = new StringBuilder("  ").append(name).append('=');
                for (int i = 0; i < shown.length() && i < MAX_VALUE; i++) {
                    char c = shown.charAt(i);
                    line.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.valueOf(c));
                }
                lines.add(line.toString());
            }
            return lines.toArray(new String[0]);
        } catch (RuntimeException | Error e) {
            return new String[] {"[system properties lost: " + e + "]"};
        }
    }

    /** A pool's usage (a small allocation), retried under heap pressure; null, named as lost, when it cannot be had. */
    private static MemoryUsage usage(ReportPrinter p, MemoryPoolMXBean pool, HeapPressure pressure) {
        for (int attempt = 0; ; attempt++) {
            try {
                return pool.getUsage();
            } catch (OutOfMemoryError e) {
                if (pressure == null || !pressure.recover(attempt)) {
                    Lost.line(p, 0, "memory pools", e);
                    return null;
                }
            } catch (Throwable t) {
                Lost.line(p, 0, "memory pools", t);
                return null;
            }
        }
    }

    /** Whether the VM flags were read (or their loss noted). */
    boolean vmFlagsRead() {
        return !vmFlags.startsWith("[not read yet");
    }

    /** The VM flags in full, as {@code jcmd VM.flags} prints them (the non-default ones), redacted. */
    private void readVmFlags() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmFlags",
                    new Object[] {null}, new String[] {String[].class.getName()});
            vmFlags = redaction.redact(String.valueOf(out).strip().replace('\n', ' '));
        } catch (Exception | Error e) {
            vmFlags = "[lost: " + e + "]";
        }
    }

    /** The section; a part that fails is named on one line and the others still print. */
    void print(ReportPrinter p, HeapPressure pressure) {
        p.line().append("System: ").append(system);
        p.emit();
        try {
            LineBuffer line = p.line().append("Uptime: ");
            Formats.seconds(line, runtime.getUptime() * 1_000_000L).append(" s");
            p.emit();
        } catch (Throwable t) {
            Lost.line(p, 0, "uptime", t);
        }
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage u = usage(p, pool, pressure);
            if (u == null) {
                break; // named as lost: the other pools would fail the same way
            }
            LineBuffer line = p.line().append("Memory pool ").append(pool.getName()).append(": used ");
            Formats.bytes(line, u.getUsed()).append(", committed ");
            Formats.bytes(line, u.getCommitted()).append(", max ");
            if (u.getMax() < 0) {
                line.append("unlimited");
            } else {
                Formats.bytes(line, u.getMax());
            }
            if (!p.emit()) {
                return;
            }
        }
        JvmFacts.wrapped(p, "VM flags: ", vmFlags);
        JvmFacts.wrapped(p, "Agents: ", agents);
        p.line().append(PROPERTIES_CAPTION);
        p.emit();
        for (String line : properties) {
            p.line().append(line);
            if (!p.emit()) {
                return;
            }
        }
    }
}
