package org.pstore.lastwords;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.pstore.panic.PanicMachine;

/**
 * The end mark, from a shutdown hook: an orderly exit. A shutdown hook cannot learn the exit status the JVM
 * will return; it can see which thread started the shutdown. A thread in {@code java.lang.Shutdown.exit} named
 * for a signal ("SIGTERM handler") means that signal (status 128 + its number); another one in it, a call of
 * System.exit or Runtime.exit (status unknown); the JVM's {@code DestroyJavaVM} thread in
 * {@code Shutdown.shutdown}, the last non-daemon thread ending, main having returned (status 0). A
 * System.exit that pstore's own panic action called has the status the panic settings give it.
 */
public final class EndMark {
    private static final Pattern SIGNAL_THREAD = Pattern.compile("SIG([A-Z]+) handler");
    private static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "TERM", 15);

    private EndMark() {
    }

    /** Adds the hook that writes the end mark into {@code mark}; {@code panicExitStatus} is the panic action's. */
    public static void install(RunMark mark, int panicExitStatus) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> write(mark, panicExitStatus), "pstore-end-mark"));
    }

    static void write(RunMark mark, int panicExitStatus) {
        RunMark.Exit how = RunMark.Exit.UNKNOWN;
        int status = -1;
        try {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                if (e.getKey() == Thread.currentThread()) {
                    continue;
                }
                for (StackTraceElement f : e.getValue()) {
                    if (!f.getClassName().equals("java.lang.Shutdown")) {
                        continue;
                    }
                    if (f.getMethodName().equals("exit")) {
                        Matcher m = SIGNAL_THREAD.matcher(e.getKey().getName());
                        if (m.matches()) {
                            how = RunMark.Exit.SIGNAL;
                            Integer n = SIGNALS.get(m.group(1));
                            status = n == null ? -1 : 128 + n;
                        } else {
                            how = RunMark.Exit.EXIT_CALLED;
                            status = calledByThePanic(e.getValue()) ? panicExitStatus : -1;
                        }
                    } else if (f.getMethodName().equals("shutdown") && how == RunMark.Exit.UNKNOWN) {
                        how = RunMark.Exit.MAIN_RETURNED;
                        status = 0;
                    }
                }
            }
        } catch (RuntimeException | Error unavailable) {
            // the end mark matters more than how it came about
        }
        mark.end(System.currentTimeMillis(), how, status);
    }

    private static boolean calledByThePanic(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals(PanicMachine.class.getName())) {
                return true;
            }
        }
        return false;
    }
}
