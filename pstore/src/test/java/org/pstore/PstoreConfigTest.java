package org.pstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pstore.compress.Compression;
import org.pstore.core.Mode;
import org.pstore.panic.DumpReason;
import org.pstore.panic.PanicAction;

class PstoreConfigTest {

    @Test
    void defaults() {
        PstoreConfig c = PstoreConfig.from(p -> null, Map.of());
        assertThat(c.dir()).isEqualTo(Path.of("pstore-data"));
        assertThat(c.mode()).isEqualTo(Mode.AUTO);
        assertThat(c.maxReason()).isEqualTo(DumpReason.OOPS);
        assertThat(c.kmsgBytes()).isEqualTo(64 << 10);
        assertThat(c.compression()).isEqualTo(Compression.DEFLATE);
        assertThat(c.capacity()).isEqualTo(8 << 20);
        assertThat(c.panic().action()).isEqualTo(PanicAction.EXIT);
        assertThat(c.panic().reportBytes()).as("the report fits in the dumped tail with room for log lines").isEqualTo(32 << 10);
    }

    @Test
    void systemPropertiesWinOverTheEnvironment() {
        Map<String, String> props = Map.of("pstore.kmsgBytes", "128k", "pstore.panic.timeout", "3s", "pstore.compress", "NONE");
        Map<String, String> env = Map.of("PSTORE_KMSG_BYTES", "32k", "PSTORE_DIR", "/var/lib/app/pstore", "PSTORE_MODE", "legacy",
                "PSTORE_PANIC_ACTION", "halt", "PSTORE_PANIC_ON_OOPS", "yes", "PSTORE_WATCHDOG_WORKER_TIMEOUT", "1500");
        PstoreConfig c = PstoreConfig.from(props::get, env);
        assertThat(c.kmsgBytes()).isEqualTo(128 << 10);
        assertThat(c.dir()).isEqualTo(Path.of("/var/lib/app/pstore"));
        assertThat(c.mode()).isEqualTo(Mode.LEGACY);
        assertThat(c.compression()).isEqualTo(Compression.NONE);
        assertThat(c.panic().action()).isEqualTo(PanicAction.HALT);
        assertThat(c.panic().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.panic().panicOnOops()).isTrue();
        assertThat(c.workerTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aBadValueIsOneLineNamingTheSettingItsSourceAndWhatWasExpected() {
        assertThatThrownBy(() -> PstoreConfig.from(Map.of("pstore.kmsgBytes", "lots")::get, Map.of()))
                .hasMessage("bad setting pstore.kmsgBytes=lots (system property pstore.kmsgBytes): expected a size such as 64k");
        assertThatThrownBy(() -> PstoreConfig.from(p -> null, Map.of("PSTORE_MODE", "fast")))
                .hasMessage("bad setting pstore.mode=fast (environment variable PSTORE_MODE): expected auto, interruptible or legacy");
        assertThatThrownBy(() -> PstoreConfig.from(Map.of("pstore.kmsgBytes", "1k")::get, Map.of()))
                .hasMessage("bad setting pstore.kmsgBytes=1024: expected between 4k and 4m");
        assertThatThrownBy(() -> PstoreConfig.builder().capacity(1 << 20).reserve(8 << 10).build())
                .hasMessageContaining("pstore.reserve=8192").hasMessageContaining("at least one full crash dump");
        assertThatThrownBy(() -> PstoreConfig.builder().capacity(10).build()).hasMessageContaining("capacity 10 is outside");
    }

    @Test
    void theServiceNameIsOptionalOneLineAndBounded() {
        assertThat(PstoreConfig.from(p -> null, Map.of()).service()).isEmpty();
        assertThat(PstoreConfig.from(p -> null, Map.of("PSTORE_SERVICE", "checkout")).service()).contains("checkout");
        assertThat(PstoreConfig.builder().service("orders").build().toBuilder().build().service()).contains("orders");
        assertThatThrownBy(() -> PstoreConfig.from(Map.of("pstore.service", "a\nb")::get, Map.of()))
                .hasMessage("bad setting pstore.service=a\\nb: expected a name of 1 to 255 printable characters");
        assertThatThrownBy(() -> PstoreConfig.builder().service(" ").build()).hasMessageContaining("pstore.service");
        assertThatThrownBy(() -> PstoreConfig.builder().service("x".repeat(256)).build()).hasMessageContaining("pstore.service");
    }

    @Test
    void environmentNamesFollowThePropertyNames() {
        assertThat(Settings.environmentName("pstore.panic.exitStatus")).isEqualTo("PSTORE_PANIC_EXIT_STATUS");
        assertThat(Settings.environmentName("pstore.dir")).isEqualTo("PSTORE_DIR");
        assertThat(Settings.size("8m")).isEqualTo(8 << 20);
        assertThat(Settings.size("64KiB")).isEqualTo(64 << 10);
        assertThat(Settings.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    }
}
