package org.pstore.core.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pstore.core.testing.JvmFork;

class MissingFlagsIT {
    @TempDir
    Path dir;

    @Test
    void withoutTheFlagsTheStoreRefusesInOneLineThatListsThem() throws Exception {
        JvmFork.Child child = JvmFork.of(MissingFlagsMain.class, dir).withoutFlags().arg(dir.resolve("vars").toString()).start();
        assertThat(child.awaitExit(60)).isEqualTo(3);
        String out = child.out().strip();
        assertThat(out.lines()).hasSize(1);
        assertThat(out).startsWith("refused: this JVM lacks flags Chronicle Queue needs; start java with: ")
                .contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED")
                .contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED").contains("-Dchronicle.analytics.disable=true");
        assertThat(child.err()).doesNotContain("ExceptionInInitializerError");
    }
}
