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
 * the agents given on the command line, the system properties (secret-looking values masked). What never
 * changes is captured when the machine is armed (allocating); the pools, the uptime and the properties are read
 * at the panic. Each part is best-effort: one that fails is one line saying what was lost.
 */
final class SystemSection {
    static final String PROPERTIES_CAPTION = "System properties (secret-looking values masked):";

    private final String system;
    /** Read in the background (the platform MBean server takes 0.2 s to start, more under load): until then, says so. */
    private volatile String vmFlags = "[not read yet: the panic came within a second of boot]";
    private final String agents;
    private final MemoryPoolMXBean[] pools;
    private final Redaction redaction;
    private final RuntimeMXBean runtime;

    private SystemSection(String system, String agents, MemoryPoolMXBean[] pools, RuntimeMXBean runtime, Redaction redaction) {
        this.system = system;
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
                pools, runtime, redaction);
        Thread reader = new Thread(section::readVmFlags, "pstore-vm-flags");
        reader.setDaemon(true);
        reader.start();
        return section;
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
        try {
            for (MemoryPoolMXBean pool : pools) {
                MemoryUsage u = pool.getUsage();
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
        } catch (Throwable t) {
            Lost.line(p, 0, "memory pools", t);
        }
        JvmFacts.wrapped(p, "VM flags: ", vmFlags);
        JvmFacts.wrapped(p, "Agents: ", agents);
        try {
            List<String> names = new ArrayList<>(System.getProperties().stringPropertyNames());
            names.sort(null);
            p.line().append(PROPERTIES_CAPTION);
            p.emit();
            for (String name : names) {
                String value = System.getProperty(name);
                String shown = value == null ? "" : redaction.value(name, value);
                LineBuffer line = p.line().indent(2).append(name).append('=');
                for (int i = 0; i < shown.length() && i < 400; i++) {
                    char c = shown.charAt(i);
                    if (c == '\n') {
                        line.append("\\n");
                    } else if (c == '\r') {
                        line.append("\\r");
                    } else {
                        line.append(c);
                    }
                }
                if (!p.emit()) {
                    return;
                }
            }
        } catch (Throwable t) {
            Lost.line(p, 0, "system properties", t);
        }
    }
}
