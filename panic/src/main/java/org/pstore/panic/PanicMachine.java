package org.pstore.panic;

import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The panic machine: one winner, the early report on the console, the priority-ordered notifier chain
 * (the ops switch, the early kmsg dump, the heap-hungry rest of the report, the full kmsg dump, then the
 * application's notifiers), the echo to System.err, then the action.
 *
 * <p>Invariants of the panic path (everything the winner runs): no lock, no thread created, no waiting for
 * another thread, and once {@link #arm() armed} no allocation until the early dump is written: the cause,
 * the JVM facts and the log tail reach the store before anything that may need heap. Only then the JDK
 * calls that cannot avoid allocating (stack traces, thread dump) run, each retried after the heap was
 * relieved and named as lost when it still fails ({@link HeapPressure}). A notifier that throws is reported
 * and the chain goes on; one that hangs is left behind by the {@link PanicTimer}, which runs the rest
 * itself; after {@link PanicSettings#timeout()} the JVM is halted whatever still runs (HALT and EXIT).
 */
public final class PanicMachine {
    /** The panic message for a VirtualMachineError (OutOfMemoryError, StackOverflowError...) nobody caught. */
    public static final String VM_ERROR = "uncaught virtual machine error";
    // The lines of the panic's end, as fields made at class initialization rather than literals: a literal's
    // String is made the first time its code runs, and these run first at an exhausted heap (the warm-up's
    // panics continue, so they never reach them). The halt after each comes whatever the line meets.
    private static final String HALTING_IN_SHUTDOWN = line("panic: the JVM began shutting down during the panic, halting");
    private static final String NOT_EXITING = line("panic: JVM already shutting down, not calling System.exit");
    private static final String TIMEOUT_HALTING = line("panic timeout: halting");

    static final int IDLE = 0;
    static final int PANICKING = 1;
    /** The chain has run; the echo and the action follow. */
    static final int DUMPED = 2;
    /** The action returned (CONTINUE, or EXIT while the JVM was already shutting down). */
    static final int FINISHED = 3;

    static final PanicConsole NO_CONSOLE = line -> { };
    private static final int WAITER_SLOTS = 64;
    private static final long UNLISTED_PARK_NANOS = 50_000_000L;

    private final PanicSettings settings;
    private final long timeoutNanos;
    private final ThrowableReader reader;
    private final boolean threadDump;
    /** Null: System.err as it is at echo time. */
    private final PrintStream echoTo;

    private final NotifierChain chain = new NotifierChain();
    private final DumperRegistry dumpers = new DumperRegistry();
    private final ChainWalk walk = new ChainWalk();
    private final PanicEvent event = new PanicEvent();
    private final PanicReport report;
    private final OopsReporter oopses;
    private final Voice ownerVoice = new Voice();
    /** Any thread but the owner and the timer; used under its own monitor. */
    private final Voice otherVoice = new Voice();
    private final HeapReserve reserve = new HeapReserve();
    private final HeapPressure pressure = new HeapPressure(reserve);
    private final ShutdownProbe shutdownProbe = new ShutdownProbe();
    private final Waiters waiters = new Waiters(WAITER_SLOTS);
    private final PanicTimer timer;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final Object armLock = new Object();

    private volatile int state = IDLE;
    /** Whether the JVM was already shutting down when the panic began (read by {@link #haltsAtEnd()}). */
    private volatile boolean shutdownBeforePanic;
    /** Set once the owner calls System.exit itself: from then on the shutdown hooks must not wait for it. */
    private volatile boolean exitCalled;
    private volatile PanicConsole console = NO_CONSOLE;
    private volatile JvmFacts facts;
    private boolean armed;

    public PanicMachine(PanicSettings settings) {
        this(settings, ThrowableReader.JDK, true, null);
    }

    /** For tests: how throwables are read, whether the panic report has a thread dump, where it is echoed. */
    PanicMachine(PanicSettings settings, ThrowableReader reader, boolean threadDump, PrintStream echoTo) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.timeoutNanos = settings.timeout().toNanos();
        this.reader = reader;
        this.threadDump = threadDump;
        this.echoTo = echoTo;
        this.report = new PanicReport(settings.reportBytes(), reader, threadDump, settings.threadDepth());
        BooleanSupplier panicStarted = this::panicInProgress;
        this.oopses = new OopsReporter(settings.reportBytes(), reader, dumpers, panicStarted);
        this.timer = new PanicTimer(this, walk, event);
        chain.register(DumpStep.EARLY, Priority.DUMP, new DumpStep(this, dumpers, Dumper.EARLY));
        chain.register(ReportStep.NAME, Priority.REPORT, new ReportStep(this));
        chain.register(DumpStep.FULL, Priority.DUMP_FULL, new DumpStep(this, dumpers, Dumper.FULL));
    }

    public PanicSettings settings() {
        return settings;
    }

    /**
     * Adds a notifier to the chain: higher priority runs first, equal priorities in registration order.
     * Before or after {@link #arm()}, never once a panic started (then it throws IllegalStateException).
     */
    public void registerNotifier(String name, int priority, PanicNotifier notifier) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(notifier, "notifier");
        tooLate("notifier", name);
        chain.register(name, priority, notifier);
    }

    /**
     * Adds a kmsg dumper, run for every dump whose reason code is at most {@code maxReason}'s code
     * ({@link DumpReason#UNDEF} means {@link DumpReason#OOPS}, as in Linux).
     */
    public void registerDumper(String name, DumpReason maxReason, Dumper dumper) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxReason, "maxReason");
        Objects.requireNonNull(dumper, "dumper");
        tooLate("dumper", name);
        dumpers.register(name, maxReason, dumper);
    }

    /** Where the report goes; null restores the default, which prints nothing. */
    public void console(PanicConsole console) {
        this.console = console == null ? NO_CONSOLE : console;
    }

    /**
     * Makes the panic path ready; idempotent. Resolves every class the module names ({@link PanicClasses}),
     * sets the heap reserve aside, captures the JVM facts that never change, runs a whole panic, oops and
     * dump on a scratch machine ({@link WarmUp}) and starts the parked panic timer.
     */
    public void arm() {
        synchronized (armLock) {
            if (armed || owner.get() != null) {
                return;
            }
            PanicClasses.resolve();
            reserve.allocate(settings.heapReserveBytes());
            facts = JvmFacts.capture(settings.redaction(), settings.ownFlags());
            WarmUp.run(settings, reader, threadDump, facts);
            waiters.leave(waiters.enlist(Thread.currentThread())); // links what a losing thread uses to park
            shutdownProbe.shutdownInProgress();
            report.transcript().echo(echoTarget()); // empty: loads the stream's write path
            timer.start();
            armed = true;
        }
    }

    /** Arms a {@link WarmUp} scratch machine: its timer only, with the facts given it, and no warm-up of its own. */
    void armScratch() {
        synchronized (armLock) {
            if (!armed) {
                timer.start();
                armed = true;
            }
        }
    }

    /**
     * Panics. Exactly one thread wins and runs the report, the chain, the echo and the action. Other
     * threads park until the panic finished: with CONTINUE they then return, otherwise they stay parked
     * until the process ends (during JVM shutdown they return once the dump is done, so that shutdown hooks
     * can end, unless the panic ends in a halt: {@link #haltsAtEnd()}). A panic on the owner thread while
     * panicking is counted, printed in one line and returns.
     */
    public void panic(String message, Throwable cause) {
        Thread me = Thread.currentThread();
        if (owner.compareAndSet(null, me)) {
            runPanic(me, message, cause);
            return;
        }
        if (me == owner.get() || timer.is(me)) {
            if (state == FINISHED) {
                say(me, "panic after panic: ", message);
            } else {
                event.nestedPanic();
                say(me, "nested panic: ", message);
            }
            return;
        }
        awaitEnd(me);
        if (state == FINISHED) {
            say(me, "panic after panic: ", message);
        }
    }

    /**
     * While a panic runs, waits as a losing thread does: until it finished, or during JVM shutdown until its
     * dump is done (when the panic ends in a halt, {@link #haltsAtEnd()}, until the JVM halts, so that an exit
     * begun meanwhile, System.exit(1) from a Cleaner that met the exhausted heap for one, does not end the
     * process before the panic, with another status). Returns at once when no panic started.
     */
    public void awaitPanic() {
        Thread me = Thread.currentThread();
        Thread winner = owner.get();
        if (winner != null && winner != me && !timer.is(me)) {
            awaitEnd(me);
        }
    }

    /**
     * Reports a problem the JVM survives: the report without thread dump, then the dumpers allowed for
     * {@link DumpReason#OOPS}; no notifier chain, no action. With {@link PanicSettings#panicOnOops()} it
     * panics instead. Oopses are serialized; one that arrives while a panic runs is one console line.
     */
    public void oops(String message, Throwable cause) {
        if (settings.panicOnOops()) {
            panic(message, cause);
            return;
        }
        report(DumpReason.OOPS, "oops while panicking: ", "nested oops: ", message, cause);
    }

    /**
     * A kmsg dump without panic (used for {@link DumpReason#SHUTDOWN} and {@link DumpReason#EMERG}): a short
     * report header, then the dumpers allowed for {@code reason}. Serialized with oopses.
     */
    public void dump(DumpReason reason, String message, Throwable cause) {
        if (reason == null || reason == DumpReason.UNDEF) {
            throw new IllegalArgumentException("dump reason must be panic, oops, emerg or shutdown, got " + reason);
        }
        report(reason, "dump while panicking: ", "nested dump: ", message, cause);
    }

    /** A panic has started (it may have finished). */
    public boolean panicking() {
        return owner.get() != null;
    }

    /** The thread that won the panic, or null. */
    public Thread owner() {
        return owner.get();
    }

    public int nestedPanics() {
        return event.nestedPanics();
    }

    /** The panic finished the chain and the action returned (CONTINUE, or EXIT during JVM shutdown). */
    public boolean finished() {
        return state == FINISHED;
    }

    /**
     * Backstop for the panic timer, which cannot watch itself while it runs notifiers: if a HALT or EXIT
     * panic started more than {@link PanicSettings#timeout()} ago and has not ended, halts now. The
     * watchdog calls it every interval.
     */
    public void enforceTimeout() {
        int s = state;
        if (s == IDLE || s == FINISHED || settings.action() == PanicAction.CONTINUE) {
            return;
        }
        if (System.nanoTime() - (event.startNanos() + timeoutNanos) >= 0) {
            timeoutExpired(Thread.currentThread());
        }
    }

    // ---- the panic path ----

    private void runPanic(Thread me, String message, Throwable cause) {
        reserve.release(); // headroom for what others run on this thread: notifiers, dumpers, first-time literals
        event.fill(DumpReason.PANIC, message, cause, me, System.currentTimeMillis(), System.nanoTime());
        shutdownBeforePanic = shutdownProbe.shutdownInProgress(); // allocates nothing while the JVM runs
        walk.begin(chain.entries());
        walk.enter(ChainWalk.REPORT_STEP); // published before the timer looks
        state = PANICKING;
        timer.wake();
        PanicConsole out = console;
        try {
            report.printEarly(event, out, facts(), null);
        } catch (Throwable t) {
            ownerVoice.failed(out, "panic report", "", t);
        }
        walk.leave();
        if (walk.walk(ChainWalk.OWNER, event, out, ownerVoice, false, 0L) == ChainWalk.END) {
            finish(ownerVoice, out);
        } else {
            awaitEnd(me); // the panic timer took the chain over and finishes the panic
        }
    }

    /** The {@link ReportStep}: the heap-hungry rest of the report, on the thread that runs the step. */
    void printRest(PanicEvent e) {
        if (walk.ownerStuckInReport()) {
            return; // the owner still holds the report's buffers; the full dump goes without the rest
        }
        try {
            report.printRest(e, facts, pressure);
        } catch (Throwable t) {
            voiceOf(Thread.currentThread()).failed(console, "panic report", "", t);
        }
    }

    /** Run by the walker (owner or timer) that claimed the end of the chain: echo, then the action. */
    /**
     * Whether the panic ends in a halt with its status: HALT, or EXIT when the JVM began shutting down during
     * the panic (an exit of another thread, such as the JDK's Cleaner calling System.exit(1) when it met
     * the exhausted heap, must not replace the status of the panic that explains it). A panic that began
     * during shutdown leaves the status to the exit that was already under way.
     */
    private boolean haltsAtEnd() {
        PanicAction action = settings.action();
        return action == PanicAction.HALT || (action == PanicAction.EXIT && !shutdownBeforePanic && !exitCalled);
    }

    void finish(Voice voice, PanicConsole out) {
        state = DUMPED;
        waiters.wakeAll();
        report.transcript().echo(echoTarget());
        PanicAction action = settings.action();
        if (action == PanicAction.HALT) {
            Runtime.getRuntime().halt(settings.exitStatus());
        } else if (action == PanicAction.EXIT) {
            if (shutdownProbe.shutdownInProgress()) {
                if (haltsAtEnd()) {
                    try {
                        voice.say(out, HALTING_IN_SHUTDOWN, null, null);
                    } finally {
                        Runtime.getRuntime().halt(settings.exitStatus());
                    }
                }
                voice.say(out, NOT_EXITING, null, null);
            } else {
                exitCalled = true; // the hooks System.exit runs now return once the dump is done
                exit();
            }
        }
        state = FINISHED;
        waiters.wakeAll();
        timer.wake();
    }

    private void exit() {
        try {
            System.exit(settings.exitStatus());
        } catch (Throwable refused) {
            Runtime.getRuntime().halt(settings.exitStatus());
        }
    }

    /** The total timeout passed: halt, unless the action already returned. */
    void timeoutExpired(Thread me) {
        if (state == FINISHED) {
            return;
        }
        try {
            say(me, TIMEOUT_HALTING, null);
        } finally {
            Runtime.getRuntime().halt(settings.exitStatus());
        }
    }

    private static String line(String text) {
        return text;
    }

    /**
     * Parks without spinning until the panic finished (or, during JVM shutdown, until the dump is done). With
     * HALT or EXIT each waiter also keeps the total timeout, so that the process ends even when the panic timer
     * and the watchdog cannot (a thread that dies of the exhausted heap, the watchdog, waits here too).
     */
    private void awaitEnd(Thread me) {
        if (state == FINISHED) {
            return;
        }
        boolean inShutdown = shutdownProbe.shutdownInProgress();
        boolean ends = settings.action() != PanicAction.CONTINUE;
        boolean interrupted = false;
        int slot = waiters.enlist(me);
        try {
            for (;;) {
                int s = state;
                // when the owner halts right after the dump, returning earlier would let the JVM exit first
                if (s == FINISHED || (inShutdown && s >= DUMPED && !haltsAtEnd())) {
                    return;
                }
                long left = event.startNanos() + timeoutNanos - System.nanoTime();
                if (ends && s != IDLE && left <= 0) {
                    timeoutExpired(me);
                }
                if (ends) {
                    LockSupport.parkNanos(this, Math.max(1, Math.min(left, UNLISTED_PARK_NANOS)));
                } else if (slot >= 0) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, UNLISTED_PARK_NANOS);
                }
                // an interrupt would make park return at once: remember it instead of spinning
                interrupted |= Thread.interrupted();
            }
        } finally {
            waiters.leave(slot);
            if (interrupted) {
                me.interrupt();
            }
        }
    }

    // ---- helpers ----

    private void report(DumpReason reason, String whilePanicking, String nested, String message, Throwable cause) {
        Thread me = Thread.currentThread();
        if (panicInProgress()) {
            say(me, whilePanicking, message);
            return;
        }
        int result = oopses.report(reason, message, cause, console, facts());
        if (result == OopsReporter.PANICKING) {
            say(me, whilePanicking, message);
        } else if (result == OopsReporter.NESTED) {
            say(me, nested, message);
        }
    }

    private boolean panicInProgress() {
        return owner.get() != null && state != FINISHED;
    }

    private void tooLate(String what, String name) {
        if (panicInProgress()) {
            throw new IllegalStateException("panic in progress: " + what + " " + name + " registered too late");
        }
    }

    private PrintStream echoTarget() {
        return echoTo != null ? echoTo : System.err;
    }

    /** The JVM facts; captured now (allocating) only if the machine was never armed. */
    private JvmFacts facts() {
        JvmFacts f = facts;
        if (f == null) {
            try {
                f = JvmFacts.capture();
                facts = f;
            } catch (Throwable unavailable) {
                // the report prints what Runtime alone tells
            }
        }
        return f;
    }

    void useFacts(JvmFacts captured) {
        facts = captured;
    }

    /** One console line in the voice of the calling thread's role. */
    private void say(Thread me, CharSequence prefix, CharSequence text) {
        Voice voice = voiceOf(me);
        if (voice == otherVoice) {
            synchronized (otherVoice) {
                voice.say(console, prefix, text, null);
            }
        } else {
            voice.say(console, prefix, text, null);
        }
    }

    Voice voiceOf(Thread t) {
        if (timer.is(t)) {
            return timer.voice();
        }
        return t == owner.get() ? ownerVoice : otherVoice;
    }

    PanicConsole console() {
        return console;
    }

    int state() {
        return state;
    }

    NotifierChain notifierChain() {
        return chain;
    }

    ChainWalk chainWalk() {
        return walk;
    }

    PanicEvent event() {
        return event;
    }

    int heapReserved() {
        return reserve.size();
    }

    boolean isTimer(Thread t) {
        return timer.is(t);
    }
}
