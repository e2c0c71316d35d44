package org.pstore.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.Attributes;
import org.pstore.core.Mode;
import org.pstore.core.NameCursor;
import org.pstore.core.Namespace;
import org.pstore.core.Status;
import org.pstore.core.StoreConfig;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableBuffer;
import org.pstore.core.VariableOps;

class WorkerOpsTest {
    static final Namespace NS = Namespace.of(UUID.fromString("1a2b3c4d-0000-4000-8000-00000000000a"), "test");

    @TempDir
    Path dir;
    private final ScriptedFaults faults = new ScriptedFaults();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private RuntimeServices services;

    private RuntimeServices open(Duration opTimeout) {
        services = RuntimeServices.open(StoreConfig.builder(dir.resolve("vars")).mode(Mode.INTERRUPTIBLE)
                .opTimeout(opTimeout).faultInjection(faults).build());
        return services;
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (services != null) {
            services.close();
        }
    }

    @Test
    void everyOperationGoesThroughTheWorkerThread() {
        VariableOps ops = open(Duration.ofSeconds(10)).ops();
        assertThat(ops.name()).isEqualTo("interruptible");
        assertThat(set(ops, "a", "alpha")).isEqualTo(Status.OK);
        VariableBuffer out = new VariableBuffer(4);
        assertThat(ops.get(NS, "a", out)).isEqualTo(Status.OK);
        assertThat(out.toUtf8()).isEqualTo("alpha");
        NameCursor c = new NameCursor();
        assertThat(ops.nextName(c)).isEqualTo(Status.OK);
        assertThat(c.nameString()).isEqualTo("a");
        assertThat(ops.nextName(c)).isEqualTo(Status.NOT_FOUND);
        StoreSpace space = new StoreSpace();
        assertThat(ops.query(space)).isEqualTo(Status.OK);
        assertThat(space.variables()).isEqualTo(1);
    }

    @Test
    void setNonBlockingIsRefusedThroughTheWorker() {
        VariableOps ops = open(Duration.ofSeconds(10)).ops();
        assertThat(ops.setNonBlocking(NS, "x", 0, new byte[1], 0, 1)).isEqualTo(Status.UNSUPPORTED);
    }

    @Test
    void anInterruptedCallerReturnsAtOnceAndItsQueuedOperationNeverRuns() throws Exception {
        VariableOps ops = open(Duration.ofMinutes(5)).ops();
        CountDownLatch release = faults.hold("slow");
        Future<Status> slow = pool.submit(() -> set(ops, "slow", "s"));
        faults.awaitEntered("slow");

        Thread waiter = Thread.currentThread();
        Status[] result = new Status[1];
        boolean[] interruptKept = new boolean[1];
        Thread caller = new Thread(() -> {
            result[0] = set(ops, "queued", "q");
            interruptKept[0] = Thread.currentThread().isInterrupted();
        });
        caller.start();
        awaitParkedOrWaiting(caller);
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(caller.isAlive()).as("the interrupted caller returned while the worker is still stuck").isFalse();
        assertThat(result[0]).isEqualTo(Status.ABORTED);
        assertThat(interruptKept[0]).isTrue();

        release.countDown();
        assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        assertThat(set(ops, "after", "a")).isEqualTo(Status.OK);
        assertThat(ops.get(NS, "queued", new VariableBuffer(1))).as("withdrawn before it ran").isEqualTo(Status.NOT_FOUND);
        assertThat(faults.reached).containsExactly("slow", "after");
        assertThat(waiter.isInterrupted()).isFalse();
    }

    @Test
    void anInterruptedCallerWhoseOperationRunsWithdrawsItBeforeItIsWritten() throws Exception {
        VariableOps ops = open(Duration.ofMinutes(5)).ops();
        CountDownLatch release = faults.hold("slow");
        Status[] result = new Status[1];
        Thread caller = new Thread(() -> result[0] = set(ops, "slow", "value"));
        caller.start();
        faults.awaitEntered("slow");
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(result[0]).isEqualTo(Status.ABORTED);

        release.countDown();
        assertThat(set(ops, "after", "a")).isEqualTo(Status.OK); // the worker has finished with "slow"
        assertThat(ops.get(NS, "slow", new VariableBuffer(8))).as("a caller told it failed: it did not happen").isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void aDeleteWhoseCallerTimedOutIsNotWrittenAfterwards() throws Exception {
        VariableOps ops = open(Duration.ofMillis(200)).ops();
        assertThat(set(ops, "x", "value")).isEqualTo(Status.OK);
        // the delete takes longer than its caller waits (as when it must compact first): the caller gives up
        CountDownLatch release = faults.hold("x");
        Status delete = ops.set(NS, "x", 0, null, 0, 0);
        release.countDown();
        assertThat(delete).isEqualTo(Status.BUSY);
        assertThat(set(ops, "after", "a")).as("queued behind the delete: runs once it is over").isEqualTo(Status.OK);
        VariableBuffer out = new VariableBuffer(8);
        assertThat(ops.get(NS, "x", out)).as("the delete its caller was told failed").isEqualTo(Status.OK);
        assertThat(out.toUtf8()).isEqualTo("value");
    }

    @Test
    void aCallerWhoseOperationIsBeingWrittenWaitsForTheOutcome() throws Exception {
        VariableOps ops = open(Duration.ofMillis(500)).ops();
        CountDownLatch release = faults.holdInside("slow");
        pool.submit(() -> {
            Thread.sleep(750); // past the caller's timeout, well within its second wait
            release.countDown();
            return null;
        });
        assertThat(set(ops, "slow", "value")).as("written: the caller is told so").isEqualTo(Status.OK);

        CountDownLatch stuck = faults.holdInside("stuck");
        assertThat(set(ops, "stuck", "v")).as("still being written after twice the timeout: in doubt").isEqualTo(Status.ABORTED);
        stuck.countDown();
    }

    @Test
    void theWorkerIsStuckOnlyInsideTheOperationTheWatchdogFoundStuckNotInTheRequestsItRunsAfter() throws Exception {
        RuntimeServices s = open(Duration.ofSeconds(30));
        VariableOps ops = s.ops();
        CountDownLatch hung = faults.holdInside("hung");
        CountDownLatch next = faults.hold("next");
        Future<Status> first = pool.submit(() -> set(ops, "hung", "v"));
        awaitBusy(s);
        Future<Status> second = pool.submit(() -> set(ops, "next", "v")); // queued behind the hung write
        assertThat(s.workerStuck()).as("no watchdog switch yet").isFalse();

        s.switchToLegacy(RuntimeServices.SWITCHED_WORKER_STUCK);
        assertThat(s.workerStuck()).as("inside the hung write").isTrue();

        hung.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        faults.awaitEntered("next"); // now inside the queued write, itself held
        assertThat(s.workerStuck()).as("inside a later request, the lock held only for it").isFalse();
        next.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        assertThat(s.workerStuck()).isFalse();
    }

    private static void awaitBusy(RuntimeServices s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.workerBusyNanos() == 0) {
            assertThat(System.nanoTime() - deadline).as("the worker takes the request").isNegative();
            Thread.sleep(1);
        }
    }

    @Test
    void aTimedOutCallerIsBusy() throws Exception {
        VariableOps ops = open(Duration.ofMillis(200)).ops();
        CountDownLatch release = faults.hold("slow");
        pool.submit(() -> set(ops, "slow", "s"));
        faults.awaitEntered("slow");
        assertThat(set(ops, "late", "l")).isEqualTo(Status.BUSY);
        release.countDown();
    }

    @Test
    void aFaultInAnOperationIsADeviceErrorAndTheWorkerGoesOn() {
        VariableOps ops = open(Duration.ofSeconds(10)).ops();
        faults.fail("bad", new IOException("disk on fire"));
        faults.fail("worse", new IllegalStateException("bug"));
        assertThat(set(ops, "bad", "x")).isEqualTo(Status.DEVICE_ERROR);
        assertThat(set(ops, "worse", "x")).isEqualTo(Status.DEVICE_ERROR);
        assertThat(set(ops, "good", "x")).isEqualTo(Status.OK);
        assertThat(services.ops()).isSameAs(ops);
    }

    @Test
    void aFatalFaultDisablesTheWorkerAndQueuedCallsRunOnceOnTheLegacyOps() throws Exception {
        RuntimeServices s = open(Duration.ofMinutes(5));
        VariableOps ops = s.ops();
        CountDownLatch release = faults.hold("fatal");
        faults.fail("fatal", new StackOverflowError("simulated fatal fault"));
        Future<Status> fatal = pool.submit(() -> set(ops, "fatal", "f"));
        faults.awaitEntered("fatal");
        List<Future<Status>> queued = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            queued.add(pool.submit(() -> set(ops, "queued-" + n, "q")));
        }
        Thread.sleep(50); // let them queue behind the stuck operation; correctness does not depend on it
        release.countDown();

        assertThat(fatal.get(30, TimeUnit.SECONDS)).isEqualTo(Status.DEVICE_ERROR);
        for (Future<Status> f : queued) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        }
        assertThat(s.ops()).as("moved to the legacy ops").isSameAs(s.legacyOps());
        assertThat(s.modeInForce()).contains("fatal fault");
        s.workerThread().join(30_000);
        assertThat(s.workerThread().isAlive()).as("the worker thread ended").isFalse();
        for (int i = 0; i < 8; i++) {
            String name = "queued-" + i;
            assertThat(faults.reached.stream().filter(name::equals)).as(name + " ran exactly once").hasSize(1);
        }
        assertThat(set(ops, "later", "l")).as("the old table still serves, through the fallback").isEqualTo(Status.OK);
    }

    @Test
    void concurrentCallersAreServedInOrderNoneLostNoneTwice() throws Exception {
        VariableOps ops = open(Duration.ofSeconds(30)).ops();
        int threads = 8;
        int perThread = 300;
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    assertThat(set(ops, "t" + id + "-" + i, "v")).isEqualTo(Status.OK);
                }
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(tasks)) {
            f.get();
        }
        assertThat(faults.reached).hasSize(threads * perThread).doesNotHaveDuplicates();
        Map<String, Integer> lastSeen = new ConcurrentHashMap<>();
        for (String name : faults.reached) {
            String thread = name.substring(0, name.indexOf('-'));
            int seq = Integer.parseInt(name.substring(name.indexOf('-') + 1));
            Integer prev = lastSeen.put(thread, seq);
            assertThat(prev == null ? -1 : prev).as("%s reached the store in its caller's order", name).isEqualTo(seq - 1);
        }
    }

    @Test
    void switchingWhileCallersAreInFlightLosesNoneAndRunsNoneTwice() throws Exception {
        RuntimeServices s = open(Duration.ofSeconds(30));
        int threads = 6;
        int perThread = 400;
        CountDownLatch halfway = new CountDownLatch(threads);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            tasks.add(() -> {
                int ok = 0;
                for (int i = 0; i < perThread; i++) {
                    if (i == perThread / 2) {
                        halfway.countDown();
                    }
                    if (set(s.ops(), "t" + id + "-" + i, "v" + i) == Status.OK) {
                        ok++;
                    }
                }
                return ok;
            });
        }
        List<Future<Integer>> results = new ArrayList<>();
        for (Callable<Integer> task : tasks) {
            results.add(pool.submit(task));
        }
        halfway.await();
        s.switchToLegacy(RuntimeServices.SWITCHED_AT_PANIC);
        s.switchToLegacy(RuntimeServices.SWITCHED_AT_PANIC); // idempotent
        int ok = 0;
        for (Future<Integer> f : results) {
            ok += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(ok).isEqualTo(threads * perThread);
        assertThat(faults.reached).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(s.ops()).isSameAs(s.legacyOps());
        VariableBuffer out = new VariableBuffer(8);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(s.ops().get(NS, "t" + t + "-" + i, out)).isEqualTo(Status.OK);
            }
        }
    }

    @Test
    void callersQueuedMeanwhileAreStoredAsOneGroupEachAcknowledgedOnceStored() throws Exception {
        RuntimeServices s = open(Duration.ofSeconds(30));
        VariableOps ops = s.ops();
        CountDownLatch release = faults.hold("first");
        Future<Status> first = pool.submit(() -> set(ops, "first", "1"));
        faults.awaitEntered("first"); // the worker is inside a write, holding the store lock
        int callers = 5;
        List<Thread> waiting = new ArrayList<>();
        List<Future<Status>> queued = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String name = "queued-" + i;
            CountDownLatch started = new CountDownLatch(1);
            queued.add(pool.submit(() -> {
                waitingThreads(waiting);
                started.countDown();
                return set(ops, name, "v");
            }));
            started.await();
        }
        for (Thread t : snapshot(waiting)) {
            awaitParkedOrWaiting(t);
        }
        long[] before = s.workerGroups();
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        for (Future<Status> f : queued) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(Status.OK);
        }
        long[] after = s.workerGroups();
        assertThat(after[0] - before[0]).as("one wake-up for the queued callers").isEqualTo(1);
        assertThat(after[1] - before[1]).as("all of them in it").isEqualTo(callers);
        VariableBuffer out = new VariableBuffer(8);
        for (int i = 0; i < callers; i++) {
            assertThat(ops.get(NS, "queued-" + i, out)).isEqualTo(Status.OK);
        }
    }

    @Test
    void inSteadyStateNeitherTheWorkerNorItsCallerAllocates() throws Exception {
        // no scripted faults here: their record of every write allocates on the worker
        RuntimeServices s = services = RuntimeServices.open(StoreConfig.builder(dir.resolve("vars")).mode(Mode.INTERRUPTIBLE).build());
        VariableOps ops = s.ops();
        byte[] value = new byte[100];
        String[] names = {"n0", "n1", "n2", "n3"};
        VariableBuffer out = new VariableBuffer(256);
        Runnable work = () -> {
            for (int i = 0; i < 2_000; i++) {
                value[0] = (byte) i;
                ops.set(NS, names[i & 3], Attributes.DEFAULT, value, 0, value.length);
                ops.get(NS, names[i & 3], out);
            }
        };
        for (int i = 0; i < 10; i++) {
            work.run(); // warm-up: the JIT compiles both sides
        }
        // Ten windows of 4 000 operations. Nothing of pstore's allocates per operation: one allocation per call
        // would be 16 B or more each time, 640 KB in all. Chronicle itself allocates now and then inside its
        // appender and tailer (56 B to 14 KB in a window, in a window in three or so: found with JFR and
        // per-window counts, as often before the store backed its files with blocks as after, and not where it
        // does), which is what the bound leaves room for.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long workerId = s.workerThread().getId();
        long worker = 0;
        long caller = 0;
        long[] perWindow = new long[10];
        for (int w = 0; w < perWindow.length; w++) {
            long workerBefore = threads.getThreadAllocatedBytes(workerId);
            caller += org.pstore.core.testing.Allocations.of(work);
            perWindow[w] = threads.getThreadAllocatedBytes(workerId) - workerBefore;
            worker += perWindow[w];
        }
        assertThat(worker).as("bytes the worker allocated in 40 000 operations, per window " + java.util.Arrays.toString(perWindow))
                .isLessThanOrEqualTo(64 << 10);
        assertThat(caller).as("bytes the caller allocated in 40 000 operations").isZero();
    }

    private static synchronized void waitingThreads(List<Thread> into) {
        into.add(Thread.currentThread());
    }

    private static synchronized List<Thread> snapshot(List<Thread> of) {
        return new ArrayList<>(of);
    }

    private static Status set(VariableOps ops, String name, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return ops.set(NS, name, Attributes.DEFAULT, b, 0, b.length);
    }

    private static void awaitParkedOrWaiting(Thread t) {
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
    }
}
