package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The process-wide machine: the first install wins. (The only test that touches it.) */
class PanicTest {

    @Test
    void theFirstInstallWinsAndPanicUsesIt() {
        RecordingConsole console = new RecordingConsole();
        PanicMachine first = TestMachines.machine(console);
        PanicMachine installed = Panic.install(first);
        assertThat(Panic.install(TestMachines.machine(new RecordingConsole()))).isSameAs(installed);
        assertThat(Panic.machine()).isSameAs(installed);
        if (installed == first) {
            Panic.oops("global oops", null);
            Panic.panic("global panic", null);
            assertThat(console.lines()).contains("Oops: global oops", "JVM panic - not syncing: global panic");
            assertThat(first.finished()).isTrue();
        }
    }
}
