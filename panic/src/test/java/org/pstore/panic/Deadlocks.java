package org.pstore.panic;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/** A real Java-level deadlock that a test can break again (the locks are taken interruptibly). */
public final class Deadlocks {
    private Deadlocks() {
    }

    /** Starts a daemon thread that takes {@code mine}, waits for its partner, then wants {@code theirs}. */
    public static Thread deadlocking(String name, ReentrantLock mine, ReentrantLock theirs,
            CountDownLatch bothLocked) {
        Thread t = new Thread(() -> {
            try {
                mine.lockInterruptibly();
                try {
                    bothLocked.countDown();
                    bothLocked.await();
                    theirs.lockInterruptibly();
                    theirs.unlock();
                } finally {
                    mine.unlock();
                }
            } catch (InterruptedException e) {
                // the test breaks the deadlock
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
