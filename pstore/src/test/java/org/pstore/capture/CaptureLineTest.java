package org.pstore.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CaptureLineTest {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void theTimeIsTheEventsOwnInUtcAsJavaTimeWritesIt() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(-2_000_000_000_000L, 253_402_300_799_000L); // 1906 .. 9999-12-31
            String line = CaptureLine.begin(millis, "t", "INFO", "l").toString();
            assertThat(line).as("seed " + seed + ", millis " + millis).isEqualTo(ISO.format(Instant.ofEpochMilli(millis)) + " [t] INFO l: ");
        }
    }

    @Test
    void levelAndLoggerAreLeftOutWhenAbsent() {
        assertThat(CaptureLine.begin(0, "main", null, "stdout").append("hi").toString()).isEqualTo("1970-01-01T00:00:00.000Z [main] stdout: hi");
        assertThat(CaptureLine.begin(0, null, "WARN", "").toString()).isEqualTo("1970-01-01T00:00:00.000Z [?] WARN ");
    }
}
