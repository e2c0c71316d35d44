package org.pstore.panic.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pstore.panic.TestMachines.await;
import static org.pstore.panic.TestMachines.join;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class CriticalThreadsTest {

    @Test
    void markedThreadsAreCriticalOthersNot() {
        Thread marked = new Thread(() -> { });
        CriticalThreads.mark(marked);
        CriticalThreads.mark(marked);
        assertThat(CriticalThreads.isCritical(marked)).isTrue();
        assertThat(CriticalThreads.isCritical(new Thread(() -> { }))).isFalse();
        assertThat(CriticalThreads.isCritical(null)).isFalse();
    }

    @Test
    void aDeadThreadsMarkIsDropped() throws Exception {
        Thread dies = new Thread(() -> { });
        CriticalThreads.mark(dies);
        int held = CriticalThreads.held();
        dies.start();
        join(dies);
        CriticalThreads.mark(new Thread(() -> { }));
        assertThat(CriticalThreads.held()).isLessThanOrEqualTo(held);
        assertThat(CriticalThreads.isCritical(dies)).isFalse();
    }

    @Test
    void aMarkDoesNotKeepAThreadReachable() {
        WeakReference<Thread> gone = markUnreachableThread();
        await("the marked thread to be collected", () -> {
            System.gc();
            return gone.get() == null;
        });
    }

    private static WeakReference<Thread> markUnreachableThread() {
        Thread t = new Thread(() -> { });
        CriticalThreads.mark(t);
        return new WeakReference<>(t);
    }
}
