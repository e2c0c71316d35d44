package org.pstore.agent;

import java.io.IOException;
import java.util.Optional;
import java.util.Properties;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * {@code bin/pstore attach PID [key=value,...]}: loads the agent into a running JVM through the Attach API
 * and waits until pstore runs there (the store open), or says why not, in one line. A JVM where pstore
 * already runs is left as it is ("nothing done", status 0); a PID that is not a JVM, or one this user may
 * not attach to, is one line and status 1 (and a process that is no JVM is sent nothing: {@link AttachTarget}).
 * A JVM still being created is waited for before anything is sent to it ({@link VmCreation}).
 * Runs in its own JVM; JDK classes only.
 */
public final class AttachCommand {
    /** Set in the target by pstore's boot ({@code org.pstore.boot.BootClaim}). */
    static final String RUNNING = "org.pstore.running";
    /** Set in the target by the agent when it could not arm: the line it printed there. */
    static final String FAILED = "org.pstore.failed";
    private static final long WAIT_MILLIS = 60_000;
    /** How long a JVM still being created (its agents' premain included) is waited for before anything is sent. */
    private static final long CREATION_WAIT_MILLIS = 30_000;
    private static final String CANNOT = "pstore: cannot attach to ";
    private static final String NOT_A_JVM = ": not a running JVM, or not one this user may attach to";

    private AttachCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length < 1 || args.length > 2 || !args[0].matches("\\d{1,10}")) {
            System.err.println("pstore: usage: pstore attach PID [key=value,...]");
            return 2;
        }
        String pid = args[0];
        String options = args.length > 1 ? args[1] : "";
        long id = Long.parseLong(pid);
        Optional<String> refused = AttachTarget.refusal(id);
        if (refused.isPresent()) {
            System.err.println(CANNOT + pid + NOT_A_JVM + " (" + refused.get() + ")");
            return 1;
        }
        try {
            if (!VmCreation.await(id, CREATION_WAIT_MILLIS)) {
                System.err.println(CANNOT + pid + ": the JVM is still starting (its creation did not finish within "
                        + CREATION_WAIT_MILLIS / 1000 + " s); nothing was sent to it");
                return 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            System.err.println(CANNOT + pid + NOT_A_JVM + " (" + oneLine(e) + ")");
            return 1;
        }
        try {
            String running = vm.getSystemProperties().getProperty(RUNNING);
            if (running != null) {
                System.out.println("pstore: already armed in " + pid + " (" + running + "); nothing done");
                return 0;
            }
            vm.loadAgent(PstoreAgent.jar().toString(), options);
            return await(vm, pid);
        } catch (AgentLoadException | AgentInitializationException | IOException | RuntimeException e) {
            System.err.println("pstore: cannot load the agent into " + pid + ": " + oneLine(e));
            return 1;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the attach connection is closed with this JVM anyway
            }
        }
    }

    private static int await(VirtualMachine vm, String pid) throws IOException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (true) {
            Properties p = vm.getSystemProperties();
            String running = p.getProperty(RUNNING);
            String failed = p.getProperty(FAILED);
            if (running != null && running.startsWith("running: ")) {
                System.out.println("pstore: armed in " + pid + " (" + running.substring("running: ".length()) + ")");
                return 0;
            }
            if (running == null && failed != null) {
                System.err.println(failed + " (in " + pid + ")");
                return 1;
            }
            if (System.currentTimeMillis() > deadline) {
                System.err.println("pstore: the agent is loaded in " + pid + " but its store did not open within "
                        + WAIT_MILLIS / 1000 + " s (" + (running == null ? "no claim" : running) + ")");
                return 1;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
