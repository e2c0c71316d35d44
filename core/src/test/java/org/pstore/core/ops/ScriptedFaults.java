package org.pstore.core.ops;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.pstore.core.FaultInjection;
import org.pstore.core.Namespace;

/** A fault injection scripted per variable name, which also records every write that reached the store. */
final class ScriptedFaults implements FaultInjection {
    final List<String> reached = new CopyOnWriteArrayList<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> insideHolds = new ConcurrentHashMap<>();

    /** Writes of {@code name} block (inside the store lock) until the returned latch is counted down. */
    CountDownLatch hold(String name) {
        CountDownLatch release = new CountDownLatch(1);
        holds.put(name, release);
        entered.put(name, new CountDownLatch(1));
        return release;
    }

    /** Writes of {@code name} block inside the open log entry (past the point of no return) until released. */
    CountDownLatch holdInside(String name) {
        CountDownLatch release = new CountDownLatch(1);
        insideHolds.put(name, release);
        return release;
    }

    void awaitEntered(String name) throws InterruptedException {
        entered.get(name).await();
    }

    void fail(String name, Throwable t) {
        failures.put(name, t);
    }

    @Override
    public void onWrite(Phase phase, Namespace namespace, CharSequence name) throws IOException {
        if (phase == Phase.INSIDE_APPEND) {
            CountDownLatch inside = insideHolds.get(name.toString());
            if (inside != null) {
                try {
                    inside.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        String n = name.toString();
        reached.add(n);
        CountDownLatch in = entered.get(n);
        if (in != null) {
            in.countDown();
        }
        CountDownLatch hold = holds.get(n);
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held");
            }
        }
        Throwable t = failures.get(n);
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
    }
}
