package org.pstore;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The static API's answers to a caller's mistakes, in its own words rather than the JVM's. */
class PstoreApiTest {
    @Test
    void aNullMessageIsRefusedByName() {
        assertThatThrownBy(() -> Pstore.pmsg((String) null)).isInstanceOf(NullPointerException.class).hasMessage("pmsg message");
        assertThatThrownBy(() -> Pstore.pmsg((byte[]) null)).isInstanceOf(NullPointerException.class).hasMessage("pmsg message");
    }
}
