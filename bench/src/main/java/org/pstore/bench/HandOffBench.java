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
    /** Whose turn it is: the ping thread moves it to true, the pong thread back to false. */
    private volatile boolean turn;

    @Benchmark
    @Group("spin")
    @GroupThreads(1)
    public void spinPing(Control c) {
        while (turn && !c.stopMeasurement) {
            Thread.onSpinWait();
        }
        turn = true;
    }

    @Benchmark
    @Group("spin")
    @GroupThreads(1)
    public void spinPong(Control c) {
        while (!turn && !c.stopMeasurement) {
            Thread.onSpinWait();
        }
        turn = false;
    }

    @Benchmark
    @Group("yield")
    @GroupThreads(1)
    public void yieldPing(Control c) {
        while (turn && !c.stopMeasurement) {
            Thread.yield();
        }
        turn = true;
    }

    @Benchmark
    @Group("yield")
    @GroupThreads(1)
    public void yieldPong(Control c) {
        while (!turn && !c.stopMeasurement) {
            Thread.yield();
        }
        turn = false;
    }
}
