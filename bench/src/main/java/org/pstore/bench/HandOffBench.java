package org.pstore.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * The hand-off floor under item 1a: one cache line passed from one thread to another and back, the least
 * that any request to another thread and its answer cost on this machine, whatever carries them. Waited for
 * by spinning, and by yielding between looks as the worker and its callers do. JMH's own ping-pong (its
 * sample on {@code Control}); one operation of either thread is one round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Group)
public class HandOffBench {
    /** Whose turn it is: the ping thread moves it from false to true, the pong thread back. */
    private volatile boolean turn;

    @Benchmark
    @Group("spin")
    @GroupThreads(1)
    public void spinPing(Control c) {
        pass(false, false, c);
    }

    @Benchmark
    @Group("spin")
    @GroupThreads(1)
    public void spinPong(Control c) {
        pass(true, false, c);
    }

    @Benchmark
    @Group("yield")
    @GroupThreads(1)
    public void yieldPing(Control c) {
        pass(false, true, c);
    }

    @Benchmark
    @Group("yield")
    @GroupThreads(1)
    public void yieldPong(Control c) {
        pass(true, true, c);
    }

    /** Waits until the turn is {@code from} (or the iteration ends), then hands it over. */
    private void pass(boolean from, boolean yielding, Control c) {
        while (turn != from && !c.stopMeasurement) {
            if (yielding) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        turn = !from;
    }
}
