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
        // events in order, many to a second (the text up to the second is kept), across seconds, days and years
        long millis = random.nextLong(-2_000_000_000_000L, 253_000_000_000_000L);
        for (int i = 0; i < 20_000; i++) {
            millis += random.nextInt(4) == 0 ? random.nextLong(1, 100_000_000L) : random.nextInt(0, 700);
            String line = CaptureLine.begin(millis, "t", "INFO", "l").toString();
            assertThat(line).as("seed " + seed + ", millis " + millis).isEqualTo(ISO.format(Instant.ofEpochMilli(millis)) + " [t] INFO l: ");
        }
    }

    @Test
    void levelAndLoggerAreLeftOutWhenAbsent() {
        assertThat(CaptureLine.begin(0, "main", null, "stdout").append("hi").toString()).isEqualTo("1970-01-01T00:00:00.000Z [main] stdout: hi");
        assertThat(CaptureLine.begin(0, null, "WARN", "").toString()).isEqualTo("1970-01-01T00:00:00.000Z [?] WARN ");
    }

    @Test
    void eachPartIsUtf8AsJavaEncodesItWithUnpairedSurrogatesAsQuestionMarks() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        char[] alphabet = "aZ09 :-_/\u00e9\u00df\u20ac\u4e2d\ud83d\ude00\ud800\udc00".toCharArray();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder message = new StringBuilder();
            for (int n = random.nextInt(200); n > 0; n--) {
                message.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String expected = "1970-01-01T00:00:00.000Z [t\u00e9] INFO l: " + message;
            String utf8 = new String(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.UTF_8); // what Java makes of unpaired surrogates: '?'
            assertThat(CaptureLine.begin(0, "t\u00e9", "INFO", "l").append(message).toString())
                    .as("seed " + seed + ": " + message).isEqualTo(utf8);
        }
    }

    @Test
    void aNullMessageIsWrittenAsNullAndAPartCanBeASlice() {
        assertThat(CaptureLine.begin(0, "main", null, null).append(null).toString())
                .isEqualTo("1970-01-01T00:00:00.000Z [main] null");
        assertThat(CaptureLine.begin(0, "main", null, null).append("xxhixx", 2, 4).toString())
                .isEqualTo("1970-01-01T00:00:00.000Z [main] hi");
    }

    @Test
    void aMessageOfManyLinesBecomesOneRingLinePerLineAndALongLineIsCutOnACharacterBoundary() {
        RingLines r = new RingLines();
        CaptureRing ring = r.ring();
        CaptureLine.begin(0, "main", "INFO", "l").append("first\nsecond\n\nfourth").printTo(ring);
        String longLine = "\u20ac".repeat(2000); // 6000 bytes: past MAX_LINE, cut between two euro signs
        CaptureLine.begin(0, "main", "INFO", "l").append(longLine).printTo(ring);
        java.util.List<String> lines = r.take(); // without the uptime prefix, "[     0.001234] " (15 bytes)
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(0, 4)).containsExactly("1970-01-01T00:00:00.000Z [main] INFO l: first", "second", "",
                "fourth");
        String cut = lines.get(4);
        assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 15)
                .isLessThanOrEqualTo(CaptureRing.MAX_LINE).isGreaterThan(CaptureRing.MAX_LINE - 3);
        assertThat(cut).endsWith("\u20ac").doesNotContain("\ufffd");
    }

    @Test
    void anEventIsCutAtItsLimitAndTheNextEventOnTheThreadStartsClean() {
        String huge = "x".repeat(CaptureLine.MAX_EVENT * 2);
        assertThat(CaptureLine.begin(0, "t", null, null).append(huge).toString()).hasSize(CaptureLine.MAX_EVENT);
        assertThat(CaptureLine.begin(0, "t", null, null).append("small").toString())
                .isEqualTo("1970-01-01T00:00:00.000Z [t] small");
    }

    /** Strings, builders and other CharSequences take different paths to the same bytes; names are kept by identity. */
    @Test
    void everyKindOfTextAndEveryNameComesOutAsJavaEncodesIt() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        char[] alphabet = "aZ09 :-_/\n\u00e9\u00df\u20ac\u4e2d\ud83d\ude00\ud800\udc00".toCharArray();
        String[] threads = new String[40]; // more names than the table keeps: slots are shared and replaced
        String[] loggers = new String[40];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = text(random, alphabet, 30);
            loggers[i] = text(random, alphabet, 60);
        }
        RingLines r = new RingLines();
        for (int i = 0; i < 20_000; i++) {
            int t = random.nextInt(threads.length);
            if (random.nextInt(50) == 0) {
                threads[t] = text(random, alphabet, 30); // a thread renamed: a new String
            }
            String thread = threads[t];
            String logger = loggers[random.nextInt(loggers.length)];
            String message = text(random, alphabet, 120);
            CharSequence part = switch (random.nextInt(3)) {
                case 0 -> message;
                case 1 -> new StringBuilder(message);
                default -> java.nio.CharBuffer.wrap(message);
            };
            String expected = utf8("1970-01-01T00:00:00.000Z [" + thread + "] INFO " + (logger.isEmpty() ? "" : logger + ": ") + message);
            CaptureLine line = CaptureLine.begin(0, thread, "INFO", logger).append(part);
            assertThat(line.toString()).as("seed " + seed + ", event " + i).isEqualTo(expected);
            line.printTo(r.ring());
            String lines = expected.endsWith("\n") ? expected.substring(0, expected.length() - 1) : expected; // no empty last line
            assertThat(String.join("\n", r.take())).as("seed " + seed + ", event " + i + ": one ring line per newline").isEqualTo(lines);
        }
    }

    private static String text(SplittableRandom random, char[] alphabet, int max) {
        StringBuilder b = new StringBuilder();
        boolean ascii = random.nextBoolean(); // half the texts ASCII only, the usual case
        for (int n = random.nextInt(max); n > 0; n--) {
            b.append(ascii ? (char) ('a' + random.nextInt(26)) : alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    private static String utf8(String s) {
        return new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
    }
}
