package org.pstore.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pstore.core.Status;
import org.pstore.record.RecordType;

class BackendRegistryTest {
    @Test
    void oneBackendAtATimeASecondIsRefused() {
        Backend a = backend(EnumSet.of(RecordType.DMESG));
        Backend b = backend(EnumSet.of(RecordType.DMESG));
        BackendRegistry r = new BackendRegistry();
        assertThat(r.register(a)).isEqualTo(Status.OK);
        assertThat(r.register(b)).isEqualTo(Status.BUSY);
        assertThat(r.backend()).isSameAs(a);
        assertThat(r.unregister(b)).isEqualTo(Status.NOT_FOUND);
        assertThat(r.unregister(a)).isEqualTo(Status.OK);
        assertThat(r.register(b)).isEqualTo(Status.OK);
    }

    @Test
    void aBackendServingNoFrontendIsInvalid() {
        assertThat(new BackendRegistry().register(backend(EnumSet.noneOf(RecordType.class)))).isEqualTo(Status.INVALID);
    }

    private static Backend backend(Set<RecordType> frontends) {
        Backend b = mock(Backend.class);
        when(b.frontends()).thenReturn(frontends);
        when(b.name()).thenReturn("test");
        return b;
    }
}
