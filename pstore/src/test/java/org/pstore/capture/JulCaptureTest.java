package org.pstore.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/** java.util.logging and System.Logger (whose default backend is java.util.logging) through the JUL handler. */
class JulCaptureTest {
    @Test
    void julAndSystemLoggerEventsKeepTimeThreadLevelLoggerAndTheStackTrace() throws Exception {
        RingLines ring = new RingLines();
        Logger jul = Logger.getLogger("capture.jul");
        jul.setUseParentHandlers(false);
        JulCapture capture = new JulCapture(ring.ring(), () -> { });
        jul.addHandler(capture);
        try {
            jul.log(Level.WARNING, "failed {0}", "order 7");
            jul.log(Level.SEVERE, "with a trace", new IllegalStateException("boom"));
            Thread t = new Thread(() -> System.getLogger("capture.jul").log(System.Logger.Level.INFO, "via System.Logger"), "worker-1");
            t.start();
            t.join();
        } finally {
            jul.removeHandler(capture);
        }
        var lines = ring.take();
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[main\\] WARNING capture\\.jul: failed order 7");
        assertThat(lines.get(1)).endsWith(" [main] SEVERE capture.jul: with a trace");
        assertThat(lines.get(2)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines.get(3)).startsWith("\tat org.pstore.capture.JulCaptureTest.");
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" [worker-1] INFO capture.jul: via System.Logger"));
    }
}
