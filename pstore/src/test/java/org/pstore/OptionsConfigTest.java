package org.pstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The Java agent's options: the settings by name without "pstore.", first before system properties and the environment. */
class OptionsConfigTest {
    @Test
    void anOptionWinsOverTheSystemPropertyWhichWinsOverTheEnvironment() {
        Map<String, String> props = Map.of("pstore.dir", "/from/property", "pstore.kmsgBytes", "128k");
        Map<String, String> env = Map.of("PSTORE_DIR", "/from/env", "PSTORE_KMSG_BYTES", "8k", "PSTORE_CAPACITY", "16m");
        PstoreConfig c = PstoreConfig.from(Map.of("dir", "/from/option", "panic.action", "halt"), props::get, env);
        assertThat(c.dir()).isEqualTo(Path.of("/from/option"));
        assertThat(c.kmsgBytes()).isEqualTo(128 << 10);
        assertThat(c.capacity()).isEqualTo(16L << 20);
        assertThat(c.panic().action().name()).isEqualTo("HALT");
    }

    @Test
    void aBadOptionSaysWhereItCameFromAndAnUnknownOneIsRefusedByName() {
        assertThatThrownBy(() -> PstoreConfig.from(Map.of("kmsgBytes", "lots"), k -> null, Map.of()))
                .hasMessage("bad setting pstore.kmsgBytes=lots (agent option kmsgBytes): expected a size such as 64k");
        assertThatThrownBy(() -> PstoreConfig.from(Map.of("directory", "/x"), k -> null, Map.of()))
                .hasMessageStartingWith("unknown agent option directory (the settings are: dir, mode, maxReason, kmsgBytes");
    }

    @Test
    void anEmptyDirIsRefusedRatherThanTakenForTheWorkingDirectory() {
        assertThatThrownBy(() -> PstoreConfig.from(Map.of("dir", ""), k -> null, Map.of()))
                .hasMessage("bad setting pstore.dir= (agent option dir): expected a directory");
        assertThatThrownBy(() -> PstoreConfig.builder().dir(Path.of("")).build())
                .hasMessageStartingWith("bad setting pstore.dir=");
        assertThat(PstoreConfig.from(Map.of(), k -> k.equals("pstore.dir") ? " " : null, Map.of()).dir())
                .as("a blank property is unset, as everywhere").isEqualTo(PstoreConfig.DEFAULT_DIR);
    }
}
