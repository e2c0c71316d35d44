package org.pstore.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.pstore.core.Status;

class StoreLockTest {

    @Test
    void crashTimeCallersOnlyTry() throws Exception {
        StoreLock lock = new StoreLock();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(CompletableFuture.supplyAsync(lock::tryAcquire).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(lock.owner()).isEqualTo(Thread.currentThread());
        lock.release();
        assertThat(lock.held()).isFalse();
    }

    @Test
    void heldLongerThanTellsAStuckHolderFromABriefOne() throws Exception {
        StoreLock lock = new StoreLock();
        assertThat(lock.heldLongerThan(0)).as("free").isFalse();
        assertThat(lock.acquire(TimeUnit.SECONDS.toNanos(1))).isEqualTo(Status.OK);
        assertThat(lock.heldLongerThan(TimeUnit.HOURS.toNanos(1))).as("just taken").isFalse();
        Thread.sleep(20);
        assertThat(lock.heldLongerThan(TimeUnit.MILLISECONDS.toNanos(5))).as("held 20 ms").isTrue();
        lock.release();
        assertThat(lock.heldLongerThan(0)).as("released").isFalse();
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(lock.heldLongerThan(TimeUnit.HOURS.toNanos(1))).as("taken again, by a crash-time writer").isFalse();
    }

    @Test
    void aTimedOutWaitIsBusy() throws Exception {
        StoreLock lock = new StoreLock();
        lock.tryAcquire();
        Status s = CompletableFuture.supplyAsync(() -> lock.acquire(TimeUnit.MILLISECONDS.toNanos(20))).get(10, TimeUnit.SECONDS);
        assertThat(s).isEqualTo(Status.BUSY);
    }

    @Test
    void anInterruptedWaitIsAbortedAndKeepsTheInterrupt() throws Exception {
        StoreLock lock = new StoreLock();
        lock.tryAcquire();
        Status[] result = new Status[1];
        boolean[] flag = new boolean[1];
        Thread t = new Thread(() -> {
            result[0] = lock.acquire(TimeUnit.MINUTES.toNanos(5));
            flag[0] = Thread.currentThread().isInterrupted();
        });
        t.start();
        while (t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        t.interrupt();
        t.join(10_000);
        assertThat(result[0]).isEqualTo(Status.ABORTED);
        assertThat(flag[0]).isTrue();
    }
}
