package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DumpReasonTest {

    @Test
    void codesAreTheOnDiskAbi() {
        assertThat(DumpReason.UNDEF.code()).isZero();
        assertThat(DumpReason.PANIC.code()).isEqualTo(1);
        assertThat(DumpReason.OOPS.code()).isEqualTo(2);
        assertThat(DumpReason.EMERG.code()).isEqualTo(3);
        assertThat(DumpReason.SHUTDOWN.code()).isEqualTo(4);
    }

    @Test
    void wordsRoundTripCaseInsensitively() {
        for (DumpReason reason : DumpReason.values()) {
            assertThat(reason.word()).isEqualTo(reason.name().toLowerCase());
            assertThat(DumpReason.parse(reason.word())).isSameAs(reason);
            assertThat(DumpReason.parse(reason.name())).isSameAs(reason);
            assertThat(DumpReason.ofCode(reason.code())).isSameAs(reason);
        }
        assertThat(DumpReason.parse("Panic")).isSameAs(DumpReason.PANIC);
    }

    @Test
    void unknownWordListsTheValidOnesOnOneLine() {
        assertThatThrownBy(() -> DumpReason.parse("crash"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown dump reason 'crash': expected one of undef, panic, oops, emerg, shutdown");
        assertThatThrownBy(() -> DumpReason.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownCodeIsRejected() {
        assertThatThrownBy(() -> DumpReason.ofCode(5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
        assertThatThrownBy(() -> DumpReason.ofCode(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
