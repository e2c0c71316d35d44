package org.pstore.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import org.junit.jupiter.api.Test;
import org.pstore.core.Status;
import org.pstore.core.StoreSpace;
import org.pstore.core.VariableOps;
import org.pstore.core.testing.Allocations;

class OpsRegistryTest {
    private final VariableOps a = mock(VariableOps.class);
    private final VariableOps b = mock(VariableOps.class);

    @Test
    void exactlyOneTableIsActiveASecondRegistrationIsBusy() {
        OpsRegistry r = new OpsRegistry();
        assertThat(r.active()).isSameAs(OpsRegistry.NONE);
        assertThat(r.active().query(new StoreSpace())).isEqualTo(Status.DEVICE_ERROR);
        assertThat(r.register(a, "first")).isEqualTo(Status.OK);
        assertThat(r.register(b, "second")).isEqualTo(Status.BUSY);
        assertThat(r.active()).isSameAs(a);
        assertThat(r.reason()).isEqualTo("first");
    }

    @Test
    void replacingIsExplicit() {
        OpsRegistry r = new OpsRegistry();
        r.register(a, "first");
        assertThat(r.replace(b, a, "wrong expectation")).isEqualTo(Status.NOT_FOUND);
        assertThat(r.replace(a, b, "replaced")).isEqualTo(Status.OK);
        assertThat(r.active()).isSameAs(b);
        assertThat(r.unregister(a)).isEqualTo(Status.NOT_FOUND);
        assertThat(r.unregister(b)).isEqualTo(Status.OK);
        assertThat(r.register(a, "again")).isEqualTo(Status.OK);
    }

    @Test
    void theSwitchIsIdempotentAndAllocatesNothing() {
        OpsRegistry r = new OpsRegistry();
        r.register(a, "first");
        r.switchTo(b, "panic");
        long bytes = Allocations.of(() -> {
            r.switchTo(b, "panic");
            r.switchTo(b, "panic");
        });
        assertThat(bytes).isZero();
        assertThat(r.active()).isSameAs(b);
        assertThat(r.reason()).isEqualTo("panic");
    }
}
