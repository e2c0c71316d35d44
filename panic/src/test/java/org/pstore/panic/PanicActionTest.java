package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PanicActionTest {

    @Test
    void parsesCaseInsensitively() {
        assertThat(PanicAction.parse("halt")).isSameAs(PanicAction.HALT);
        assertThat(PanicAction.parse("EXIT")).isSameAs(PanicAction.EXIT);
        assertThat(PanicAction.parse("Continue")).isSameAs(PanicAction.CONTINUE);
        assertThat(PanicAction.CONTINUE.word()).isEqualTo("continue");
    }

    @Test
    void unknownWordIsOneLineListingTheValidOnes() {
        assertThatThrownBy(() -> PanicAction.parse("reboot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown panic action 'reboot': expected one of halt, exit, continue")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
