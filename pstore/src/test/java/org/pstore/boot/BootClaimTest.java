package org.pstore.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pstore.PstoreException;
import org.pstore.core.Status;

/** One pstore per JVM: a second claim, from another copy of pstore (the agent's and the application's), is BUSY. */
class BootClaimTest {
    @Test
    void aSecondClaimSaysWhoRunsAndARelasedClaimCanBeTakenAgain() {
        BootClaim first = BootClaim.take("the Java agent, store /s");
        try {
            assertThat(BootClaim.holder()).isEqualTo("opening: the Java agent, store /s");
            first.running();
            assertThatThrownBy(() -> BootClaim.take("Pstore.boot(), store /t"))
                    .isInstanceOf(PstoreException.class)
                    .hasMessage("pstore already runs in this JVM (running: the Java agent, store /s)")
                    .satisfies(e -> assertThat(((PstoreException) e).status()).isEqualTo(Status.BUSY));
        } finally {
            first.release();
        }
        BootClaim again = BootClaim.take("Pstore.boot(), store /t");
        again.release();
        assertThat(BootClaim.holder()).isNull();
    }
}
