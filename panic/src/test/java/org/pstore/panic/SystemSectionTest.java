package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pstore.panic.TestMachines.machine;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's system facts: what hs_err would tell, after the stack trace and before the threads, secrets masked. */
class SystemSectionTest {
    private final RecordingConsole console = new RecordingConsole();

    @Test
    void aPanicReportTellsTheSystemThePoolsTheFlagsAndThePropertiesMasked() {
        System.setProperty("db.password", "hunter2");
        System.setProperty("app.api-token", "t0ps3cret");
        try {
            PanicMachine m = machine(console);
            m.arm();
            m.panic("broken", new IllegalStateException("outer"));
            List<String> lines = console.lines();
            int trace = console.indexOf("Stack trace: ");
            int system = console.indexOf("System: ");
            int threads = console.indexOf("Threads: ");
            assertThat(system).isGreaterThan(trace);
            assertThat(threads).isGreaterThan(system);
            assertThat(lines.get(system)).contains(System.getProperty("os.name")).contains(System.getProperty("os.version"))
                    .contains(Runtime.getRuntime().availableProcessors() + " CPUs").containsPattern("cgroup.*: |cgroup: none");
            assertThat(lines.get(system + 1)).matches("Uptime: \\d+\\.\\d{6} s");
            assertThat(lines).anyMatch(l -> l.matches("Memory pool .+: used .+, committed .+, max .+"));
            assertThat(lines).anyMatch(l -> l.startsWith("VM flags: "));
            assertThat(lines).anyMatch(l -> l.startsWith("Agents: "));
            int props = console.indexOf(SystemSection.PROPERTIES_CAPTION);
            assertThat(props).isGreaterThan(system).isLessThan(threads);
            assertThat(lines).contains("  db.password=***", "  app.api-token=***", "  java.version=" + System.getProperty("java.version"));
            assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("t0ps3cret");
        } finally {
            System.clearProperty("db.password");
            System.clearProperty("app.api-token");
        }
    }

    @Test
    void theVmFlagsAreThoseJcmdPrintsReadInTheBackground() throws Exception {
        SystemSection section = SystemSection.capture(Redaction.defaults(), List.of("-javaagent:/opt/a.jar=token=abc,dir=/x"));
        for (int i = 0; i < 200 && !section.vmFlagsRead(); i++) {
            Thread.sleep(50);
        }
        ReportPrinter printer = new ReportPrinter(PanicSettings.DEFAULT_REPORT_BYTES);
        printer.begin(console, 0, null);
        section.print(printer, null);
        List<String> lines = console.lines();
        assertThat(lines).anyMatch(l -> l.startsWith("VM flags: -XX:") && l.contains("-XX:+Use"));
        assertThat(lines).contains("Agents: -javaagent:/opt/a.jar=token=***,dir=/x");
    }

    @Test
    void anOopsReportLeavesThemOut() {
        PanicMachine m = machine(console);
        m.arm();
        m.oops("not fatal", new IllegalStateException("x"));
        assertThat(console.has("System: ")).isFalse();
    }
}
