package org.pstore.agent;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a JVM that the Attach API reaches has finished creating itself. Until it has, pstore sends it no attach
 * operation that runs Java code there: reading its system properties formats a date in the target, and a JDK
 * class first used that way while the target's system class loader is being made fails for good (seen on JDK 25:
 * java.time's zone rules, initialised on the "Attach Listener" thread, then "Could not initialize class" in the
 * application). An agent's {@code premain} runs inside that creation too.
 *
 * <p>The JVM's own perf counter {@code sun.rt.createVmEndTime} is 0 until its creation is over; it is read from the
 * target's perf data file, as {@code jcmd PID PerfCounter.print} reads it, without sending the target anything.
 * Where that file cannot be read (a JVM run with {@code -XX:-UsePerfData}, a launch without the jar's
 * {@code Add-Exports}), the process's age stands in: its creation is taken as over once it is a second old.
 */
final class VmCreation {
    enum State {
        CREATED, STARTING, UNKNOWN
    }

    private static final String COUNTER = "sun.rt.createVmEndTime";
    private static final Duration AGE_WHEN_UNKNOWN = Duration.ofSeconds(1);
    private static final long POLL_MILLIS = 20;

    private VmCreation() {
    }

    /** Waits until the JVM {@code pid} has been created, at most {@code timeoutMillis}; false if it is still starting. */
    static boolean await(long pid, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            if (over(pid)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Whether the JVM {@code pid} is past its creation now: its perf counter says so, or without one, its age. */
    static boolean over(long pid) {
        State s = of(pid);
        return s == State.CREATED || s == State.UNKNOWN && oldEnough(pid);
    }

    /** What the target's perf counter says now. */
    static State of(long pid) {
        Optional<Long> end = createVmEndTime(pid);
        return end.isEmpty() ? State.UNKNOWN : end.get() > 0 ? State.CREATED : State.STARTING;
    }

    private static boolean oldEnough(long pid) {
        Optional<Instant> start = ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
        return start.isEmpty() || Duration.between(start.get(), Instant.now()).compareTo(AGE_WHEN_UNKNOWN) >= 0;
    }

    /**
     * The counter through the JDK's jvmstat API (module jdk.internal.jvmstat, which jdk.attach requires; its package
     * is exported to this jar by its manifest's {@code Add-Exports}), by reflection since it is not exported to code
     * compiled against the Java 17 API. Empty when the file or the API is out of reach.
     */
    private static Optional<Long> createVmEndTime(long pid) {
        try {
            Class<?> hostClass = Class.forName("sun.jvmstat.monitor.MonitoredHost");
            Class<?> idClass = Class.forName("sun.jvmstat.monitor.VmIdentifier");
            Class<?> vmClass = Class.forName("sun.jvmstat.monitor.MonitoredVm");
            Object host = hostClass.getMethod("getMonitoredHost", String.class).invoke(null, (String) null);
            Object id = idClass.getConstructor(String.class).newInstance(Long.toString(pid));
            Object vm = hostClass.getMethod("getMonitoredVm", idClass).invoke(host, id);
            try {
                Object monitor = vmClass.getMethod("findByName", String.class).invoke(vm, COUNTER);
                if (monitor == null) {
                    return Optional.empty();
                }
                Method value = Class.forName("sun.jvmstat.monitor.Monitor").getMethod("getValue");
                Object v = value.invoke(monitor);
                return v instanceof Long ? Optional.of((Long) v) : Optional.empty();
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty(); // no perf data file, or the API is not exported to this launch
        }
    }
}
