package org.pstore.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PanicSettingsTest {

    @Test
    void defaults() {
        PanicSettings s = PanicSettings.defaults();
        assertThat(s.action()).isEqualTo(PanicAction.EXIT);
        assertThat(s.exitStatus()).isEqualTo(70);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.notifierTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.panicOnOops()).isFalse();
        assertThat(s.reportBytes()).isEqualTo(32768);
        assertThat(s.heapReserveBytes())
                .isEqualTo((int) Math.min(4 * 1024 * 1024, Runtime.getRuntime().maxMemory() / 16));
        assertThat(s.watchdogInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(PanicSettings.builder().build()).isEqualTo(s);
    }

    @Test
    void builderSetsEverySettingAndRoundTrips() {
        PanicSettings s = PanicSettings.builder()
                .action(PanicAction.HALT).exitStatus(3).timeout(Duration.ofSeconds(5))
                .notifierTimeout(Duration.ofMillis(500)).panicOnOops(true).reportBytes(8192)
                .heapReserveBytes(1024).watchdogInterval(Duration.ofMillis(200)).build();
        assertThat(s.action()).isEqualTo(PanicAction.HALT);
        assertThat(s.exitStatus()).isEqualTo(3);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.notifierTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.panicOnOops()).isTrue();
        assertThat(s.reportBytes()).isEqualTo(8192);
        assertThat(s.heapReserveBytes()).isEqualTo(1024);
        assertThat(s.watchdogInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    }

    @Test
    void heapReserveNeverExceedsASixteenthOfTheHeap() {
        PanicSettings s = PanicSettings.builder().heapReserveBytes(Integer.MAX_VALUE).build();
        assertThat((long) s.heapReserveBytes()).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory() / 16);
    }

    @Test
    void validationNamesTheSettingAndTheBadValueOnOneLine() {
        rejects(b -> b.action(null), "invalid panic setting action: null (expected one of halt, exit, continue)");
        rejects(b -> b.exitStatus(256), "invalid panic setting exitStatus: 256 (expected 0..255)");
        rejects(b -> b.exitStatus(-1), "invalid panic setting exitStatus: -1");
        rejects(b -> b.timeout(Duration.ZERO), "invalid panic setting timeout: PT0S");
        rejects(b -> b.timeout(null), "invalid panic setting timeout: null");
        rejects(b -> b.notifierTimeout(Duration.ofMillis(-1)), "invalid panic setting notifierTimeout: PT-0.001S");
        rejects(b -> b.notifierTimeout(Duration.ofSeconds(30)),
                "invalid panic setting notifierTimeout: PT30S (expected at most timeout (PT10S))");
        rejects(b -> b.watchdogInterval(Duration.ofDays(2)), "invalid panic setting watchdogInterval: PT48H");
        rejects(b -> b.reportBytes(100), "invalid panic setting reportBytes: 100 (expected 4096..16777216)");
        rejects(b -> b.heapReserveBytes(-5), "invalid panic setting heapReserveBytes: -5 (expected 0 or more)");
    }

    private static void rejects(UnaryOperator<PanicSettings.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(PanicSettings.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
