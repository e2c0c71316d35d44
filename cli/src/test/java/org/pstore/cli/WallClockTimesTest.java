package org.pstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI shows each log line's UTC time beside its uptime, from the best anchor the record has. */
class WallClockTimesTest {
    private static final Pattern RENDERED = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) \\[\\s*(\\d+)\\.(\\d{6})\\] ");

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void aReportsTimeLineAnchorsEveryLineOfTheDumpExactly() {
        Instant reportWall = Instant.parse("2026-12-01T10:00:00.123Z");
        SmallStore store = SmallStore.write(tmp.resolve("store"), "Time: 2026-12-01T10:00:00.123Z (uptime 500.000000 s)");
        List<String> lines = store.pstore("show", "--panic", "1").out.lines().toList();
        int rendered = 0;
        for (String l : lines) {
            Matcher m = RENDERED.matcher(l);
            if (m.find()) {
                long uptimeMicros = Long.parseLong(m.group(2)) * 1_000_000 + Long.parseLong(m.group(3));
                Instant expected = reportWall.minusNanos((500_000_000L - uptimeMicros) * 1000);
                assertThat(Instant.parse(m.group(1))).as(l).isEqualTo(expected.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                rendered++;
            }
        }
        assertThat(rendered).as("every line with an uptime").isGreaterThan(100);
        assertThat(store.pstore("show", "--raw", "--panic", "1").status).as("raw stays as stored").isZero();
    }

    @Test
    void withoutATimeLineTheDumpAndTheJournalGiveTheTimeWithinMoments() {
        Instant before = Instant.now();
        SmallStore store = SmallStore.write(tmp.resolve("store"));
        Instant after = Instant.now();
        for (Cli c : List.of(store.pstore("show", "--panic", "1"), store.pstore("tail", "-n", "0"),
                store.pstore("show", "console-efi-1000000000"))) {
            List<Instant> times = c.out.lines().map(RENDERED::matcher).filter(Matcher::find).map(m -> Instant.parse(m.group(1))).toList();
            assertThat(times).as(c.out).hasSizeGreaterThan(100);
            assertThat(times).allSatisfy(t -> assertThat(t).isBetween(before.minus(Duration.ofSeconds(2)), after));
        }
        assertThat(store.pstore("show", Long.toString(store.pmsgId)).out).as("a pmsg is not a log").isEqualTo("checkpoint 1\n");
    }
}
