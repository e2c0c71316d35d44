package org.pstore.panic;

import java.util.concurrent.locks.LockSupport;

/**
 * The panic timer: a daemon thread started when the machine is armed and parked until a panic starts
 * (the panic path never creates a thread). It then watches the owner: a step (the report, or a notifier)
 * that runs past the notifier timeout is left behind, and the timer runs the rest of the chain and the
 * action itself; when the total timeout passes before a HALT or EXIT happened, it halts the JVM.
 */
final class PanicTimer implements Runnable {
    static final String THREAD_NAME = "pstore-panic-timer";
    private static final long TAKEOVER_RETRY_NANOS = 1_000_000L;

    private final PanicMachine machine;
    private final ChainWalk walk;
    private final PanicEvent event;
    private final long timeoutNanos;
    private final long notifierTimeoutNanos;
    private final boolean ends;
    private final Voice voice = new Voice();
    private volatile Thread thread;
    /** The chain is the timer's (a takeover succeeded): whatever interrupts its walk, the next round resumes it. */
    private boolean walking;
    /** The timer claimed the chain's end: what remains is the panic's finish. */
    private boolean ending;

    PanicTimer(PanicMachine machine, ChainWalk walk, PanicEvent event) {
        this.machine = machine;
        this.walk = walk;
        this.event = event;
        PanicSettings settings = machine.settings();
        this.timeoutNanos = settings.timeout().toNanos();
        this.notifierTimeoutNanos = settings.notifierTimeout().toNanos();
        this.ends = settings.action() != PanicAction.CONTINUE;
    }

    synchronized void start() {
        if (thread == null) {
            Thread t = new Thread(this, THREAD_NAME);
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    boolean is(Thread t) {
        return t != null && t == thread;
    }

    Voice voice() {
        return voice;
    }

    /**
     * Parked until a panic starts; then watches it. The timer is the panic's backstop: whatever fails while
     * it runs (an OutOfMemoryError included: the heap may be exhausted) it goes on, or a chain it took over
     * would never end. An OutOfMemoryError before any panic is a panic, on this thread, as on any other.
     */
    @Override
    public void run() {
        for (;;) {
            try {
                if (!round()) {
                    return;
                }
            } catch (OutOfMemoryError e) {
                if (machine.state() == PanicMachine.IDLE) {
                    machine.panic(PanicMachine.VM_ERROR, e);
                } else {
                    LockSupport.parkNanos(this, TAKEOVER_RETRY_NANOS);
                }
            } catch (Throwable ignored) {
                LockSupport.parkNanos(this, TAKEOVER_RETRY_NANOS);
            }
        }
    }

    /** One round of the loop; false when the timer's work is done. */
    private boolean round() {
        int state = machine.state();
        if (state == PanicMachine.FINISHED) {
            return false;
        }
        if (state == PanicMachine.IDLE) {
            ExhaustionHook.check();
            LockSupport.park(this);
        } else {
            long waitNanos = check();
            if (waitNanos < 0) {
                return false;
            }
            LockSupport.parkNanos(this, waitNanos);
        }
        // nobody should interrupt the timer; if someone does, parking must not turn into spinning
        Thread.interrupted();
        return true;
    }

    /** One look at the panic. Returns how long to park, or -1 when the timer's work is done. */
    private long check() {
        long now = System.nanoTime();
        long deadline = event.startNanos() + timeoutNanos;
        if (ends && now - deadline >= 0) {
            machine.timeoutExpired(Thread.currentThread());
            return -1;
        }
        if (walking) { // a walk cut short (an error met at an exhausted heap) is resumed, never left half done
            resume(deadline);
            return machine.state() == PanicMachine.FINISHED ? -1 : TAKEOVER_RETRY_NANOS;
        }
        // a step may start any moment: look again within half a notifier timeout even when none runs now
        long wait = Math.max(notifierTimeoutNanos / 2, 1);
        if (ends) {
            wait = Math.min(wait, deadline - now);
        }
        int step = walk.step();
        long since = walk.stepStart();
        if (machine.state() == PanicMachine.PANICKING && step != ChainWalk.NO_STEP && step == walk.step()) {
            long due = since + notifierTimeoutNanos;
            if (now - due >= 0) {
                if (!walk.takeOver(step)) {
                    return TAKEOVER_RETRY_NANOS; // the owner moved on meanwhile
                }
                takeOver(step, deadline);
                return machine.state() == PanicMachine.FINISHED ? -1 : 1;
            }
            wait = Math.min(wait, due - now);
        }
        return Math.max(wait, 1);
    }

    private void takeOver(int hungStep, long deadline) {
        walking = true;
        PanicConsole out = machine.console();
        if (hungStep == ChainWalk.REPORT_STEP) {
            voice.say(out, "panic report timed out", null, null);
        } else {
            voice.say(out, "notifier ", walk.nameOf(hungStep), " timed out");
        }
        resume(deadline);
    }

    /** Walks the rest of the chain as the timer, then finishes the panic; safe to call again if it was cut short. */
    private void resume(long deadline) {
        PanicConsole out = machine.console();
        if (!ending) {
            int result = walk.walk(ChainWalk.TIMER, event, out, voice, ends, deadline);
            if (result == ChainWalk.OVERDUE) {
                machine.timeoutExpired(Thread.currentThread());
                return;
            }
            if (result != ChainWalk.END) {
                return;
            }
            ending = true;
        }
        machine.finish(voice, out);
    }
}
